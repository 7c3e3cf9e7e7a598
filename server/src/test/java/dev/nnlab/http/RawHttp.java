package dev.nnlab.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written by hand over a socket, for what {@link java.net.http.HttpClient} will not send:
 * a forged {@code Host}, an unknown method, a path it would refuse to encode, bytes that are not UTF-8.
 */
final class RawHttp {
    /** The status and body of an answer (the body de-chunked). */
    record Answer(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
            }
            return null;
        }
    }

    private RawHttp() {}

    static Answer send(int port, String head, byte[] body) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            String h = head;
            if (!h.toLowerCase(Locale.ROOT).contains("\r\nhost:")) h = h.replaceFirst("\r\n", "\r\nHost: 127.0.0.1:" + port + "\r\n");
            h += "Connection: close\r\n";
            if (body != null) h += "Content-Length: " + body.length + "\r\n";
            out.write((h + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            byte[] all = readAll(s.getInputStream());
            String text = new String(all, StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String headers = split < 0 ? text : text.substring(0, split);
            String rest = split < 0 ? "" : text.substring(split + 4);
            int status = Integer.parseInt(headers.split(" ", 3)[1]);
            Answer a = new Answer(status, headers, rest);
            if ("chunked".equalsIgnoreCase(a.header("Transfer-Encoding"))) a = new Answer(status, headers, dechunk(rest));
            return a;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Answer send(int port, String head) {
        return send(port, head, null);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toByteArray();
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) break;
            int n = Integer.parseInt(s.substring(i, eol).split(";")[0].strip(), 16);
            if (n == 0) break;
            out.append(s, eol + 2, eol + 2 + n);
            i = eol + 2 + n + 2;
        }
        return out.toString();
    }
}
