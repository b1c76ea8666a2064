package com.example.ops;

import java.io.IOException;
import java.util.Arrays;
import javax.servlet.http.HttpServletRequest;

public class DiagnosticsService {
    private static final String PING = "/bin/ping";

    public Process ping(HttpServletRequest request) throws IOException {
        String host = request.getParameter("host");
        // ruleid: java.command-injection.runtime-exec, java.command-injection.tainted-command
        return Runtime.getRuntime().exec("ping -c 1 " + host);
    }

    public Process shell(String script) throws IOException {
        Runtime rt = Runtime.getRuntime();
        String[] cmd = {"/bin/sh", "-c", script};
        // ruleid: java.command-injection.runtime-exec
        return rt.exec(cmd);
    }

    public Process uptime() throws IOException {
        // ok: java.command-injection.runtime-exec
        return Runtime.getRuntime().exec("uptime");
    }

    public Process listTmp() throws IOException {
        // ok: java.command-injection.runtime-exec
        return Runtime.getRuntime().exec(new String[] {"ls", "-l", "/tmp"});
    }

    public Process pingLocal() throws IOException {
        // ok: java.command-injection.runtime-exec
        return Runtime.getRuntime().exec(PING + " -c 1 127.0.0.1");
    }

    public Process convert(String fileName) throws IOException {
        // ruleid: java.command-injection.process-builder
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "convert " + fileName + " out.png");
        return pb.start();
    }

    public Process git(String branch) throws IOException {
        ProcessBuilder builder = new ProcessBuilder();
        // ruleid: java.command-injection.process-builder
        builder.command("bash", "-c", "git checkout " + branch);
        return builder.start();
    }

    public Process version() throws IOException {
        // ok: java.command-injection.process-builder
        ProcessBuilder pb = new ProcessBuilder("java", "-version");
        return pb.redirectErrorStream(true).start();
    }

    public Process status() throws IOException {
        // ok: java.command-injection.process-builder
        return new ProcessBuilder(Arrays.asList("git", "status", "--short")).start();
    }
}

class ToolsServlet extends javax.servlet.http.HttpServlet {
    private String archiveName = "backup.tar";

    protected void doGet(HttpServletRequest request, javax.servlet.http.HttpServletResponse response) throws IOException {
        String host = request.getParameter("host");
        // ruleid: java.command-injection.tainted-command, java.command-injection.runtime-exec
        Runtime.getRuntime().exec("nslookup " + host);
    }

    private Process sh(String script) throws IOException {
        // ruleid: java.command-injection.tainted-command, java.command-injection.process-builder
        return new ProcessBuilder("/bin/sh", "-c", script).start();
    }

    public void resize(HttpServletRequest request) throws IOException {
        String size = request.getParameter("size");
        sh(String.format("convert in.png -resize %s out.png", size));
    }

    public void trace(HttpServletRequest request) throws IOException {
        java.util.Map<String, String> opts = new java.util.HashMap<>();
        opts.put("target", request.getParameter("target"));
        opts.put("hops", "30");
        Runtime rt = Runtime.getRuntime();
        // ok: java.command-injection.tainted-command; ruleid: java.command-injection.runtime-exec
        rt.exec("traceroute -m " + opts.get("hops") + " example.com");
        // ruleid: java.command-injection.tainted-command, java.command-injection.runtime-exec
        rt.exec("traceroute " + opts.get("target"));
    }

    public void archive(HttpServletRequest request) throws IOException {
        java.util.List<String> parts = new java.util.ArrayList<>();
        parts.add("tar czf /tmp/out.tgz");
        parts.add(request.getParameter("dir"));
        ProcessBuilder pb = new ProcessBuilder();
        // ok: java.command-injection.tainted-command; ruleid: java.command-injection.process-builder
        pb.command("bash", "-c", parts.get(0));
        // ruleid: java.command-injection.tainted-command, java.command-injection.process-builder
        pb.command("bash", "-c", parts.get(0) + " " + parts.get(1));
    }

    public void chooseArchive(HttpServletRequest request) {
        this.archiveName = request.getParameter("name");
    }

    public Process pack() throws IOException {
        StringBuilder cmd = new StringBuilder("tar cf ");
        cmd.append(this.archiveName).append(" /srv/data");
        // ruleid: java.command-injection.tainted-command, java.command-injection.runtime-exec
        return Runtime.getRuntime().exec(cmd.toString());
    }

    public Process ping(HttpServletRequest request) throws IOException {
        int count = Integer.parseInt(request.getParameter("count"));
        // ok: java.command-injection.tainted-command; ruleid: java.command-injection.runtime-exec
        return Runtime.getRuntime().exec("ping -c " + count + " 127.0.0.1");
    }

    public Process pingHost(HttpServletRequest request) throws IOException {
        String host = request.getParameter("host");
        // ok: java.command-injection.tainted-command; ruleid: java.command-injection.process-builder
        return new ProcessBuilder("ping", "-c", "1", host).start();
    }

    public Process cleanup(HttpServletRequest request) throws IOException {
        String dir = request.getParameter("dir");
        dir = "/tmp/cache";
        // ok: java.command-injection.tainted-command
        return Runtime.getRuntime().exec("rm -rf " + dir);
    }

    public Process debug(HttpServletRequest request) throws IOException {
        String extra = "";
        if (false) {
            extra = request.getParameter("flags");
        }
        // ok: java.command-injection.tainted-command; ruleid: java.command-injection.runtime-exec
        return Runtime.getRuntime().exec("uname -a" + extra);
    }
}
