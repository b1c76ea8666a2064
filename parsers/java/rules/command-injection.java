package com.example.ops;

import java.io.IOException;
import java.util.Arrays;
import javax.servlet.http.HttpServletRequest;

public class DiagnosticsService {
    private static final String PING = "/bin/ping";

    public Process ping(HttpServletRequest request) throws IOException {
        String host = request.getParameter("host");
        // ruleid: java.command-injection.runtime-exec
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
