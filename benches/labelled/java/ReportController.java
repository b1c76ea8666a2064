package com.example.reports.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ReportController {
    private static final String REPORT_DIR = "/srv/reports";
    private final JdbcTemplate jdbc;

    public ReportController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/reports/search")
    public List<Map<String, Object>> search(@RequestParam String title, @RequestParam String sort) {
        Map<String, String> q = new HashMap<>();
        q.put("title", title);
        q.put("order", "created_at");
        // safe: CWE-89
        jdbc.queryForList("SELECT * FROM reports ORDER BY " + q.get("order"));
        // expect: CWE-89
        return jdbc.queryForList("SELECT * FROM reports WHERE title = '" + q.get("title") + "'");
    }

    @GetMapping("/reports/by-owner")
    public List<Map<String, Object>> byOwner(@RequestParam String owner) {
        // safe: CWE-89
        return jdbc.queryForList("SELECT * FROM reports WHERE owner = ?", owner);
    }

    @GetMapping("/reports/download")
    public byte[] download(@RequestParam String name) throws IOException {
        Path p = Paths.get(REPORT_DIR, name);
        // expect: CWE-22
        return Files.readAllBytes(p);
    }

    @GetMapping("/reports/template")
    public byte[] template(@RequestParam String kind) throws IOException {
        String fixed = "default";
        // safe: CWE-22
        return Files.readAllBytes(Paths.get(REPORT_DIR, "templates", fixed + ".tpl"));
    }

    @GetMapping("/reports/archive")
    public String archive(@RequestParam String name) throws IOException {
        File f = new File(REPORT_DIR + "/archive/" + name);
        // expect: CWE-22
        List<String> lines = Files.readAllLines(f.toPath());
        return String.join("\n", lines);
    }

    @GetMapping("/reports/render")
    public String render(@RequestParam String format) throws IOException {
        String cmd = "render-report --format " + format;
        // expect: CWE-78
        Process proc = Runtime.getRuntime().exec(new String[] {"/bin/sh", "-c", cmd});
        // safe: CWE-78
        Process proc2 = new ProcessBuilder("render-report", "--format", format).start();
        return proc.toString() + proc2.toString();
    }

    @GetMapping("/reports/compile")
    public String compile(@RequestParam int id) throws IOException {
        // safe: CWE-78
        Process proc = Runtime.getRuntime().exec("compile-report --id " + id);
        return proc.toString();
    }
}
