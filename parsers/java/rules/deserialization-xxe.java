package com.example.io;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.thoughtworks.xstream.XStream;
import java.beans.XMLDecoder;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLInputFactory;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

public class PayloadReader {
    private final XStream xstream = new XStream();

    public Object readSession(InputStream in) throws Exception {
        // ruleid: java.insecure-deserialization.object-input-stream
        ObjectInputStream ois = new ObjectInputStream(in);
        return ois.readObject();
    }

    public Object readBean(InputStream in) {
        // ruleid: java.insecure-deserialization.object-input-stream
        try (XMLDecoder decoder = new XMLDecoder(in)) {
            return decoder.readObject();
        }
    }

    public void writeSession(OutputStream out, Object session) throws Exception {
        // ok: java.insecure-deserialization.object-input-stream
        ObjectOutputStream oos = new ObjectOutputStream(out);
        oos.writeObject(session);
    }

    public ObjectMapper legacyMapper() {
        ObjectMapper mapper = new ObjectMapper();
        // ruleid: java.insecure-deserialization.polymorphic-typing
        mapper.enableDefaultTyping();
        return mapper;
    }

    // ruleid: java.insecure-deserialization.polymorphic-typing
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY)
    static class Envelope {
        Object payload;
    }

    // ok: java.insecure-deserialization.polymorphic-typing
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    static class Event {
        String type;
    }

    public Object loadConfig(String text) {
        // ruleid: java.insecure-deserialization.polymorphic-typing
        return new Yaml().load(text);
    }

    public Object loadConfigSafely(String text) {
        // ok: java.insecure-deserialization.polymorphic-typing
        return new Yaml(new SafeConstructor()).load(text);
    }

    public Object fromXml(String xml) {
        // ruleid: java.insecure-deserialization.polymorphic-typing
        return xstream.fromXML(xml);
    }

    public Document parseWithDtd(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        // ruleid: java.xxe.external-entities-enabled
        dbf.setFeature("http://xml.org/sax/features/external-general-entities", true);
        return dbf.newDocumentBuilder().parse(in);
    }

    public XMLInputFactory staxWithDtd() {
        XMLInputFactory xif = XMLInputFactory.newInstance();
        // ruleid: java.xxe.external-entities-enabled
        xif.setProperty(XMLInputFactory.SUPPORT_DTD, true);
        return xif;
    }

    public Document parseHardened(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        // ok: java.xxe.external-entities-enabled
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // ok: java.xxe.external-entities-enabled
        dbf.setFeature("http://xml.org/sax/features/external-general-entities", false);
        DocumentBuilder builder = dbf.newDocumentBuilder();
        return builder.parse(in);
    }

    // ruleid: java.xxe.parser-not-hardened
    public Document parseInvoice(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(in);
    }

    // ruleid: java.xxe.parser-not-hardened
    public void parseFeed(InputStream in, org.xml.sax.helpers.DefaultHandler handler) throws Exception {
        SAXParserFactory.newInstance().newSAXParser().parse(in, handler);
    }

    // ok: java.xxe.parser-not-hardened
    public Document parseSecure(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(in);
    }
}

class ImportServlet extends javax.servlet.http.HttpServlet {
    private final XStream xstream = new XStream();
    private final Yaml yaml = new Yaml();
    private byte[] pending = new byte[0];

    protected void doPost(javax.servlet.http.HttpServletRequest request, javax.servlet.http.HttpServletResponse response) throws java.io.IOException {
        // ruleid: java.insecure-deserialization.tainted-stream, java.insecure-deserialization.object-input-stream
        try (ObjectInputStream in = new ObjectInputStream(request.getInputStream())) {
            Object state = in.readObject();
        } catch (ClassNotFoundException e) {
            response.sendError(400);
        }
    }

    private Object decode(String encoded) throws Exception {
        byte[] raw = java.util.Base64.getDecoder().decode(encoded);
        // ruleid: java.insecure-deserialization.tainted-stream, java.insecure-deserialization.object-input-stream
        return new ObjectInputStream(new java.io.ByteArrayInputStream(raw)).readObject();
    }

    public Object restore(javax.servlet.http.HttpServletRequest request) throws Exception {
        return decode(request.getParameter("state"));
    }

    public Object importXml(@org.springframework.web.bind.annotation.RequestBody String body) {
        java.util.Map<String, String> parts = new java.util.HashMap<>();
        parts.put("payload", body);
        parts.put("schema", "<schema/>");
        // ok: java.insecure-deserialization.tainted-stream; ruleid: java.insecure-deserialization.polymorphic-typing
        xstream.fromXML(parts.get("schema"));
        // ruleid: java.insecure-deserialization.tainted-stream, java.insecure-deserialization.polymorphic-typing
        return xstream.fromXML(parts.get("payload"));
    }

    public void upload(javax.servlet.http.HttpServletRequest request) throws java.io.IOException {
        this.pending = request.getInputStream().readAllBytes();
    }

    public Object apply() {
        // ruleid: java.insecure-deserialization.tainted-stream
        return yaml.load(new String(this.pending));
    }

    public Object config(javax.servlet.http.HttpServletRequest request) {
        String doc = request.getParameter("config");
        doc = "retries: 3";
        // ok: java.insecure-deserialization.tainted-stream
        return yaml.load(doc);
    }

    public Object safeYaml(javax.servlet.http.HttpServletRequest request) throws java.io.IOException {
        String doc = new String(request.getInputStream().readAllBytes());
        // ok: java.insecure-deserialization.tainted-stream
        return new ObjectMapper().readValue(doc, java.util.Map.class);
    }
}
