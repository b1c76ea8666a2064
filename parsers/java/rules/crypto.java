package com.example.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;
import java.math.BigInteger;
import java.util.Base64;
import org.apache.commons.lang3.RandomStringUtils;
import org.springframework.security.crypto.password.PasswordEncoder;
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
        // ruleid: java.insecure-randomness.predictable-secret, java.insecure-randomness.tainted-secret
        String sessionId = Long.toHexString(new Random().nextLong());
        return sessionId;
    }

    public void issueReset(User user) {
        // ruleid: java.insecure-randomness.predictable-secret, java.insecure-randomness.tainted-secret
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
        // ok: java.insecure-randomness.predictable-secret, java.insecure-randomness.tainted-secret
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

// Taint: predictable values judged by where they go.
class RememberMeService {
    private static final String COOKIE_NAME = "remember-me";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final String[] TIPS = {"Use a passphrase", "Turn on 2FA", "Review your devices"};
    private static final Random RANDOM = new Random();

    private final PasswordEncoder passwordEncoder;
    private final Mailer mailer;

    RememberMeService(PasswordEncoder passwordEncoder, Mailer mailer) {
        this.passwordEncoder = passwordEncoder;
        this.mailer = mailer;
    }

    public void remember(HttpServletRequest request, HttpServletResponse response) {
        float rand = new java.util.Random().nextFloat();
        // ruleid: java.insecure-randomness.tainted-secret
        String rememberMeKey = Float.toString(rand).substring(2);
        // ruleid: java.insecure-randomness.tainted-secret
        Cookie cookie = new Cookie(COOKIE_NAME, rememberMeKey);
        cookie.setHttpOnly(true);
        cookie.setSecure(true);
        response.addCookie(cookie);
        // ruleid: java.insecure-randomness.tainted-secret
        request.getSession().setAttribute(COOKIE_NAME, rememberMeKey);
    }

    private String randomCode(int length) {
        Random rnd = new Random();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    public void startReset(Account account) {
        String code = randomCode(8);
        mailer.send(account.getEmail(), "Your reset code: " + code);
        // ruleid: java.insecure-randomness.tainted-secret
        account.setResetToken(code);
    }

    // ruleid: java.insecure-randomness.predictable-secret
    public void issueTemporaryPassword(Account account) {
        String temporary = RandomStringUtils.randomAlphanumeric(12);
        mailer.send(account.getEmail(), "Temporary password: " + temporary);
        // ruleid: java.insecure-randomness.tainted-secret
        account.setPassword(passwordEncoder.encode(temporary));
    }

    public SecretKeySpec signingKey() {
        byte[] keyBytes = new byte[32];
        new Random(System.nanoTime()).nextBytes(keyBytes);
        // ruleid: java.insecure-randomness.tainted-secret
        return new SecretKeySpec(keyBytes, "HmacSHA256");
    }

    public void startSession(HttpSession session, HttpServletResponse response) {
        Random random = new Random();
        String sid = String.format("%016x%016x", random.nextLong(), random.nextLong());
        // ruleid: java.insecure-randomness.tainted-secret
        response.addCookie(new Cookie("SID", sid));
        int challenge = ThreadLocalRandom.current().nextInt(100000, 1000000);
        // ruleid: java.insecure-randomness.tainted-secret
        session.setAttribute("mfa-challenge", challenge);
        // ruleid: java.insecure-randomness.tainted-secret
        String apiKey = new BigInteger(130, random).toString(32);
        // ruleid: java.insecure-randomness.tainted-secret, java.insecure-randomness.predictable-secret
        String nonce = "n-" + (long) (Math.random() * 1e12);
        mailer.send("audit@example.com", apiKey + nonce);
    }

    public void issueDeviceCookie(HttpServletResponse response) {
        String deviceId = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        // ruleid: java.insecure-randomness.tainted-secret
        response.addCookie(new Cookie("device-token", deviceId));
    }

    public void secureSession(HttpSession session, HttpServletResponse response) throws Exception {
        SecureRandom secure = new SecureRandom();
        byte[] bytes = new byte[32];
        secure.nextBytes(bytes);
        // ok: java.insecure-randomness.tainted-secret
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // ok: java.insecure-randomness.tainted-secret
        response.addCookie(new Cookie("SID", token));
        float strong = java.security.SecureRandom.getInstance("SHA1PRNG").nextFloat();
        // ok: java.insecure-randomness.tainted-secret
        session.setAttribute("remember-me", Float.toString(strong).substring(2));
    }

    public void renderDashboard(HttpSession session, Model model) throws InterruptedException {
        Random random = new Random();
        // ok: java.insecure-randomness.tainted-secret
        int tokenLength = 16 + random.nextInt(16);
        // ok: java.insecure-randomness.tainted-secret
        model.addAttribute("tip", TIPS[random.nextInt(TIPS.length)]);
        Thread.sleep(100 + random.nextInt(250));
        String visitor = Long.toHexString(random.nextLong());
        visitor = "anonymous";
        // ok: java.insecure-randomness.tainted-secret
        session.setAttribute("visitor", visitor);
        final boolean legacyTokens = false;
        String legacy = "";
        if (legacyTokens) {
            legacy = Integer.toString(random.nextInt());
        }
        // ok: java.insecure-randomness.tainted-secret
        session.setAttribute("legacy-token", legacy);
        model.addAttribute("tokenLength", tokenLength);
    }
}
