package com.example.integrations.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.net.URL;
import java.util.Base64;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.servlet.view.RedirectView;

@RestController
public class IntegrationController {
    private static final String PARTNER_API = "https://api.partner.example.com";
    private final RestTemplate rest = new RestTemplate();

    static class Hook {
        String url;
        String name = "default";
    }

    @GetMapping("/integrations/fetch")
    public String fetch(@RequestParam String url) {
        Hook h = new Hook();
        h.url = url;
        // expect: CWE-918
        return rest.getForObject(h.url, String.class);
    }

    @GetMapping("/integrations/partner")
    public String partner(@RequestParam String resource) {
        Hook h = new Hook();
        h.url = resource;
        // safe: CWE-918
        return rest.getForObject(PARTNER_API + "/v1/" + h.name, String.class);
    }

    @GetMapping("/integrations/raw")
    public String raw(@RequestParam String host) throws IOException {
        // expect: CWE-918
        return new String(new URL("https://" + host + "/status").openStream().readAllBytes());
    }

    @PostMapping("/integrations/import")
    public Object importState(@RequestBody String body) throws IOException, ClassNotFoundException {
        byte[] data = Base64.getDecoder().decode(body);
        ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data));
        // expect: CWE-502
        return in.readObject();
    }

    @PostMapping("/integrations/script")
    public Object script(@RequestParam String expr) throws ScriptException {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
        // expect: CWE-95
        Object a = engine.eval(expr);
        String fixed = "1 + 2";
        // safe: CWE-95
        Object b = engine.eval(fixed);
        return String.valueOf(a) + b;
    }

    @GetMapping("/integrations/done")
    public RedirectView done(@RequestParam String returnUrl) {
        // expect: CWE-601
        return new RedirectView(returnUrl);
    }

    @GetMapping("/integrations/home")
    public RedirectView home(@RequestParam String returnUrl) {
        // safe: CWE-601
        return new RedirectView("/integrations");
    }
}
