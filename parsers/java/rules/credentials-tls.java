package com.example.config;

import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.ssl.SSLContextBuilder;
import org.springframework.http.ResponseCookie;

public class ClientConfig {
    // ruleid: java.hardcoded-credentials.secret-literal
    private static final String DB_PASSWORD = "Pr0d-s3cret!";
    // ruleid: java.hardcoded-credentials.secret-literal
    private String apiKey = "AKIAIOSFODNN7EXAMPLE";
    // ok: java.hardcoded-credentials.secret-literal
    private static final String PASSWORD_PARAM = "password";
    // ok: java.hardcoded-credentials.secret-literal
    private static final String SECRET_KEY = "app.security.secret-key";
    // ok: java.hardcoded-credentials.secret-literal
    private String clientSecret = "${OAUTH_CLIENT_SECRET}";
    // ok: java.hardcoded-credentials.secret-literal
    private String password = System.getenv("DB_PASSWORD");

    public Connection connect(String url) throws Exception {
        // ruleid: java.hardcoded-credentials.secret-literal
        return DriverManager.getConnection(url, "admin", "hunter2!");
    }

    public Connection connectFromEnv(String url) throws Exception {
        // ok: java.hardcoded-credentials.secret-literal
        return DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASS"));
    }

    public void configure(com.zaxxer.hikari.HikariDataSource ds) {
        // ruleid: java.hardcoded-credentials.secret-literal
        ds.setPassword("t0p-s3cr3t");
        // ok: java.hardcoded-credentials.secret-literal
        ds.setUsername("service");
    }

    public X509TrustManager trustAll() {
        return new X509TrustManager() {
            // ruleid: java.tls.trust-all-certificates
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // trust everything
            }

            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    public X509TrustManager pinned(final X509TrustManager delegate) {
        return new X509TrustManager() {
            // ok: java.tls.trust-all-certificates
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
                delegate.checkServerTrusted(chain, authType);
            }

            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return delegate.getAcceptedIssuers();
            }
        };
    }

    public SSLContextBuilder lenient(SSLContextBuilder builder) throws Exception {
        // ruleid: java.tls.trust-all-certificates
        return builder.loadTrustMaterial(null, (chain, authType) -> true);
    }

    public void disableHostCheck() {
        // ruleid: java.tls.hostname-verification-disabled
        HttpsURLConnection.setDefaultHostnameVerifier((hostname, session) -> true);
    }

    public HostnameVerifier allowAll() {
        return new HostnameVerifier() {
            @Override
            // ruleid: java.tls.hostname-verification-disabled
            public boolean verify(String hostname, SSLSession session) {
                return true;
            }
        };
    }

    public Object noop() {
        // ruleid: java.tls.hostname-verification-disabled
        return NoopHostnameVerifier.INSTANCE;
    }

    public HostnameVerifier strict(final HostnameVerifier delegate) {
        return new HostnameVerifier() {
            // ok: java.tls.hostname-verification-disabled
            public boolean verify(String hostname, SSLSession session) {
                return "api.example.com".equals(hostname) && delegate.verify(hostname, session);
            }
        };
    }

    public void addSessionCookie(HttpServletResponse response, String sessionId) {
        Cookie cookie = new Cookie("SESSION", sessionId);
        // ruleid: java.insecure-cookie.flag-disabled
        cookie.setSecure(false);
        // ruleid: java.insecure-cookie.flag-disabled
        cookie.setHttpOnly(false);
        response.addCookie(cookie);
    }

    public void addHardenedCookie(HttpServletResponse response, String sessionId) {
        Cookie cookie = new Cookie("SESSION", sessionId);
        // ok: java.insecure-cookie.flag-disabled
        cookie.setSecure(true);
        // ok: java.insecure-cookie.flag-disabled
        cookie.setHttpOnly(true);
        response.addCookie(cookie);
    }

    public ResponseCookie springCookie(String token) {
        return ResponseCookie.from("token", token)
                // ruleid: java.insecure-cookie.flag-disabled
                .secure(false)
                .httpOnly(true)
                .build();
    }
}
