package dev.amalgam.model.heads;

/** Fills "{}" in a prompt template with a class name; "{{" and "}}" are literal braces. */
public final class PromptTemplates {
    private PromptTemplates() {
    }

    public static String fill(String template, String className) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                sb.append(className);
                i++;
            } else if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                sb.append(c);
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
