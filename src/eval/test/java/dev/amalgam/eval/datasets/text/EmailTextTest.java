package dev.amalgam.eval.datasets.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmailTextTest {

    private static String text(String raw) {
        return TextNormalizer.clean(EmailText.subjectAndBody(raw));
    }

    @Test
    void keepsOnlyUnfoldedSubjectAndBody() {
        String raw = "From a@b.org  Thu Aug 22 12:36:23 2002\nReturn-Path: <a@b.org>\nReceived: from x\n\tby y\n"
                + "Subject: Re: kernel build\n fails again\nTo: dev@b.org\n\nThe build fails.\nAny idea?\n";
        assertEquals("Re: kernel build fails again The build fails. Any idea?", text(raw));
    }

    @Test
    void decodesQuotedPrintableWithCharset() {
        String raw = "Subject: notes\nContent-Type: text/plain; charset=iso-8859-1\n"
                + "Content-Transfer-Encoding: quoted-printable\n\nmove the release =\nto Friday. Caf=E9 at noon.\n";
        assertEquals("notes move the release to Friday. Caf\u00e9 at noon.", text(raw));
    }

    @Test
    void decodesUndeclaredQuotedPrintableAndShortensRulers() {
        String raw = "Subject: hot\nContent-Type: text/html\n\n<p style=3D\"x\">BIG NEWS THIS WEEK =\nFOR=20\nAMNM</p>"
                + "\n----------\nend ======== x";
        assertEquals("hot BIG NEWS THIS WEEK FOR AMNM --- end === x", text(raw));
        String plain = "Subject: math\n\nx = 3 and y = 20 \n";
        assertEquals("math x = 3 and y = 20", text(plain));
    }

    @Test
    void decodesEncodedWordSubjects() {
        assertEquals("R\u00e9sum\u00e9 of the talk", EmailText.decodeEncodedWords("=?iso-8859-1?Q?R=E9sum=E9_of_the_talk?="));
        assertEquals("FREE money!", EmailText.decodeEncodedWords("=?utf-8?B?RlJFRSBtb25leQ==?=!"));
    }

    @Test
    void multipartPrefersPlainTextOverHtmlAndSkipsAttachments() {
        String alt = "Subject: s\nContent-Type: multipart/alternative; boundary=\"XYZ\"\n\npreamble\n--XYZ\n"
                + "Content-Type: text/html\n\n<p>html version</p>\n--XYZ\nContent-Type: text/plain\n\nplain version\n--XYZ--\n";
        assertEquals("s plain version", text(alt));
        String mixed = "Subject: s\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n"
                + "Content-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n--B\nContent-Type: application/pdf\n\nJVBERi0x\n--B--\n";
        assertEquals("s hello world", text(mixed));
        String htmlOnly = "Subject: s\nContent-Type: multipart/alternative; boundary=Q\n\n--Q\nContent-Type: text/html\n\n"
                + "<b>only</b> html\n--Q--\n";
        assertEquals("s only html", text(htmlOnly));
    }

    @Test
    void stripsHtmlTagsScriptsStylesAndEntities() {
        String html = "<html><head><style>p {color:red}</style></head><body><!-- c --><p>Click&nbsp;<b>here</b>"
                + " to WIN &amp; get &#36;1000 &#x41;!</p><script>alert(1)</script></body></html>";
        assertEquals("Click here to WIN & get $1000 A!", TextNormalizer.clean(EmailText.stripHtml(html)));
        // A part cut in the middle of a style block or comment loses the unterminated rest, not just the tag.
        assertEquals("Hi", TextNormalizer.clean(EmailText.stripHtml("<p>Hi</p><style>p { color: red; ")));
        assertEquals("Hi", TextNormalizer.clean(EmailText.stripHtml("Hi <!-- a comment that never ends")));
    }
}
