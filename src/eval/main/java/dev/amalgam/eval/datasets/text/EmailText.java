package dev.amalgam.eval.datasets.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one raw RFC 822 message into "subject + readable body": all headers but Subject are dropped,
 * MIME multiparts are reduced to their first text part (plain preferred over HTML), quoted-printable and
 * base64 text parts are decoded, and HTML tags and entities are removed.
 */
final class EmailText {

    private static final int MAX_MIME_DEPTH = 5;
    /** Only the start of a message is kept, so text parts are cut before the (regex-heavy) HTML stripping. */
    private static final int MAX_PART_CHARS = 20_000;
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([QqBb])\\?([^?\\s]*)\\?=");
    private static final Pattern PARAM = Pattern.compile("(?i);\\s*%s\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");
    private static final java.util.List<String> BLOCKS = java.util.List.of("script", "style", "head");
    private static final Pattern QP_MARK = Pattern.compile("=(3D|20|09|\n)");
    /** Runs of 4+ identical separator characters ("=====", "-----") shrink to 3. */
    private static final Pattern RULER = Pattern.compile("([=\\-_*#~+.|])\\1{3,}");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x?)([0-9a-fA-F]{1,6});");

    private EmailText() {
    }

    /** Subject and body text of a message, not yet whitespace-normalised. */
    static String subjectAndBody(String rawMessage) {
        String raw = rawMessage.replace("\r\n", "\n");
        Part message = Part.parse(raw);
        String subject = decodeEncodedWords(message.headers.getOrDefault("subject", ""));
        return subject.strip() + "\n" + bodyText(message, 0);
    }

    private static String bodyText(Part part, int depth) {
        String contentType = part.headers.getOrDefault("content-type", "text/plain");
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            String boundary = param(contentType, "boundary");
            if (boundary == null || depth >= MAX_MIME_DEPTH) {
                return "";
            }
            String html = null;
            for (String body : splitMultipart(part.body, boundary)) {
                Part sub = Part.parse(body);
                String subType = sub.headers.getOrDefault("content-type", "text/plain").toLowerCase(Locale.ROOT);
                String text = bodyText(sub, depth + 1);
                if (text.isBlank()) {
                    continue;
                }
                if (!subType.startsWith("text/html")) {
                    return text;
                }
                if (html == null) {
                    html = text;
                }
            }
            return html == null ? "" : html;
        }
        if (!type.startsWith("text/")) {
            return "";
        }
        String encoding = part.headers.getOrDefault("content-transfer-encoding", "").strip().toLowerCase(Locale.ROOT);
        Charset charset = charset(param(contentType, "charset"));
        if (encoding.isEmpty() && looksQuotedPrintable(part.body)) {
            encoding = "quoted-printable";
        }
        String decoded = switch (encoding) {
            case "quoted-printable" -> new String(quotedPrintable(part.body), charset);
            case "base64" -> decodeBase64(part.body, charset);
            default -> part.body;
        };
        String text = stripHtml(decoded.length() > MAX_PART_CHARS ? decoded.substring(0, MAX_PART_CHARS) : decoded);
        return RULER.matcher(text).replaceAll("$1$1$1");
    }

    /** Spam often sends quoted-printable bodies without saying so: count its soft breaks and "=3D"/"=20". */
    static boolean looksQuotedPrintable(String body) {
        Matcher m = QP_MARK.matcher(body);
        int marks = 0;
        while (marks < 3 && m.find()) {
            marks++;
        }
        return marks >= 3;
    }

    private static java.util.List<String> splitMultipart(String body, String boundary) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        String delimiter = "--" + boundary;
        StringBuilder current = null;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith(delimiter)) {
                if (current != null) {
                    parts.add(current.toString());
                }
                if (line.startsWith(delimiter + "--")) {
                    return parts;
                }
                current = new StringBuilder();
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            parts.add(current.toString());
        }
        return parts;
    }

    /** Removes comments, script/style/head blocks (to the end when unterminated) and tags; decodes entities. */
    static String stripHtml(String s) {
        StringBuilder text = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '<' || i + 1 >= n) {
                text.append(c);
                i++;
            } else if (s.startsWith("<!--", i)) {
                i = skipPast(s, i + 4, "-->");
                text.append(' ');
            } else if (isBlockStart(s, i)) {
                String name = s.substring(i + 1, i + 1 + blockNameLength(s, i)).toLowerCase(Locale.ROOT);
                int close = indexOfIgnoreCase(s, "</" + name, i + 1);
                i = close < 0 ? n : skipPast(s, close, ">");
                text.append(' ');
            } else if (Character.isLetter(s.charAt(i + 1)) || s.charAt(i + 1) == '/' || s.charAt(i + 1) == '!') {
                int gt = s.indexOf('>', i);
                if (gt < 0) {
                    text.append(c);
                    i++;
                } else {
                    i = gt + 1;
                    text.append(' ');
                }
            } else {
                text.append(c);
                i++;
            }
        }
        return decodeEntities(text.toString());
    }

    private static boolean isBlockStart(String s, int lt) {
        return blockNameLength(s, lt) > 0;
    }

    private static int blockNameLength(String s, int lt) {
        for (String name : BLOCKS) {
            int end = lt + 1 + name.length();
            if (s.regionMatches(true, lt + 1, name, 0, name.length())
                    && (end >= s.length() || !Character.isLetterOrDigit(s.charAt(end)))) {
                return name.length();
            }
        }
        return 0;
    }

    private static int skipPast(String s, int from, String token) {
        int at = s.indexOf(token, from);
        return at < 0 ? s.length() : at + token.length();
    }

    private static int indexOfIgnoreCase(String s, String token, int from) {
        for (int i = s.indexOf('<', from); i >= 0; i = s.indexOf('<', i + 1)) {
            if (s.regionMatches(true, i, token, 0, token.length())) {
                return i;
            }
        }
        return -1;
    }

    private static String decodeEntities(String t) {
        if (t.indexOf('&') < 0) {
            return t;
        }
        Matcher m = NUMERIC_ENTITY.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int code;
            try {
                code = Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16);
            } catch (NumberFormatException e) {
                code = ' ';
            }
            String rep = Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : " ";
            m.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        m.appendTail(sb);
        return sb.toString().replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    static String decodeEncodedWords(String header) {
        Matcher m = ENCODED_WORD.matcher(header);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Charset cs = charset(m.group(1));
            String decoded;
            if (m.group(2).equalsIgnoreCase("B")) {
                decoded = decodeBase64(m.group(3), cs);
            } else {
                decoded = new String(quotedPrintable(m.group(3).replace('_', ' ')), cs);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Quoted-printable to bytes: "=XX" is a byte, "=" at a line end a soft break. */
    static byte[] quotedPrintable(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i++;
            } else if (c == '=' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c < 256) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String decodeBase64(String s, Charset cs) {
        try {
            return new String(Base64.getMimeDecoder().decode(s.strip()), cs);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static Charset charset(String name) {
        if (name != null) {
            try {
                return Charset.forName(name.strip());
            } catch (IllegalArgumentException e) {
                // unknown or malformed charset name: fall through to Latin-1, which maps every byte
            }
        }
        return StandardCharsets.ISO_8859_1;
    }

    private static String param(String headerValue, String name) {
        Matcher m = Pattern.compile(String.format(PARAM.pattern(), Pattern.quote(name))).matcher(headerValue);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    /** Headers (lower-case names, first occurrence, unfolded) and body of a message or MIME part. */
    private record Part(Map<String, String> headers, String body) {
        static Part parse(String raw) {
            int sep = raw.startsWith("\n") ? 0 : raw.indexOf("\n\n");
            String head = sep < 0 ? raw : raw.substring(0, sep);
            String body = sep < 0 ? "" : raw.substring(sep + (raw.startsWith("\n") ? 1 : 2));
            Map<String, String> headers = new LinkedHashMap<>();
            String name = null;
            StringBuilder value = new StringBuilder();
            for (String line : head.split("\n")) {
                if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                    value.append(' ').append(line.strip());
                    continue;
                }
                if (name != null) {
                    headers.putIfAbsent(name, value.toString());
                }
                int colon = line.indexOf(':');
                if (colon > 0 && !line.substring(0, colon).contains(" ")) {
                    name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                    value = new StringBuilder(line.substring(colon + 1).strip());
                } else {
                    name = null;
                }
            }
            if (name != null) {
                headers.putIfAbsent(name, value.toString());
            }
            return new Part(headers, body);
        }
    }
}
