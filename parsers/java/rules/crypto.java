package com.example.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import org.apache.commons.codec.digest.DigestUtils;

public class CryptoUtil {
    private final SecureRandom secureRandom = new SecureRandom();

    public byte[] hashPassword(String password) throws Exception {
        // ruleid: java.weak-hash.md5-sha1
        MessageDigest md = MessageDigest.getInstance("MD5");
        return md.digest(password.getBytes("UTF-8"));
    }

    public byte[] fingerprint(byte[] data) throws Exception {
        // ruleid: java.weak-hash.md5-sha1
        return java.security.MessageDigest.getInstance("SHA-1").digest(data);
    }

    public String legacyToken(String value) {
        // ruleid: java.weak-hash.md5-sha1
        return DigestUtils.md5Hex(value);
    }

    public byte[] strongHash(byte[] data) throws Exception {
        // ok: java.weak-hash.md5-sha1
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    public String strongHex(String value) {
        // ok: java.weak-hash.md5-sha1
        return DigestUtils.sha256Hex(value);
    }

    public Mac hmac() throws Exception {
        // ok: java.weak-hash.md5-sha1
        return Mac.getInstance("HmacSHA256");
    }

    public Cipher legacyDes() throws Exception {
        // ruleid: java.weak-cipher.broken-algorithm-or-ecb
        return Cipher.getInstance("DES/CBC/PKCS5Padding");
    }

    public Cipher ecb() throws Exception {
        // ruleid: java.weak-cipher.broken-algorithm-or-ecb
        return Cipher.getInstance("AES/ECB/PKCS5Padding");
    }

    public Cipher defaultAes() throws Exception {
        // ruleid: java.weak-cipher.broken-algorithm-or-ecb
        return Cipher.getInstance("AES");
    }

    public KeyGenerator desKey() throws Exception {
        // ruleid: java.weak-cipher.broken-algorithm-or-ecb
        return KeyGenerator.getInstance("DESede");
    }

    public Cipher gcm() throws Exception {
        // ok: java.weak-cipher.broken-algorithm-or-ecb
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    public Cipher rsa() throws Exception {
        // ok: java.weak-cipher.broken-algorithm-or-ecb
        return Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    }

    public KeyGenerator aesKey() throws Exception {
        // ok: java.weak-cipher.broken-algorithm-or-ecb
        return KeyGenerator.getInstance("AES");
    }

    public String newSession() {
        // ruleid: java.insecure-randomness.predictable-secret
        String sessionId = Long.toHexString(new Random().nextLong());
        return sessionId;
    }

    public void issueReset(User user) {
        // ruleid: java.insecure-randomness.predictable-secret
        user.resetCode = String.valueOf(ThreadLocalRandom.current().nextInt(100000, 999999));
    }

    // ruleid: java.insecure-randomness.predictable-secret
    public String generateApiKey() {
        Random rnd = new Random();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            sb.append(Integer.toHexString(rnd.nextInt(16)));
        }
        return sb.toString();
    }

    public String secureToken() {
        byte[] bytes = new byte[32];
        secureRandom.nextBytes(bytes);
        // ok: java.insecure-randomness.predictable-secret
        String token = java.util.Base64.getUrlEncoder().encodeToString(bytes);
        return token;
    }

    public int shuffleSeed() {
        // ok: java.insecure-randomness.predictable-secret
        int jitterMillis = new Random().nextInt(500);
        return jitterMillis;
    }

    // ok: java.insecure-randomness.predictable-secret
    public String generateSalt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return java.util.HexFormat.of().formatHex(salt);
    }

    static class User {
        String resetCode;
    }
}
