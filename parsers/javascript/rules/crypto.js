const crypto = require("crypto");
const CryptoJS = require("crypto-js");

function hashPassword(password) {
  // ruleid: javascript.weak-hash.md5-sha1
  return crypto.createHash("md5").update(password).digest("hex");
}

function legacySignature(payload) {
  // ruleid: javascript.weak-hash.md5-sha1
  const digest = crypto.createHash('sha1').update(payload).digest("base64");
  // ruleid: javascript.weak-hash.md5-sha1
  const alt = CryptoJS.MD5(payload).toString();
  // ok: javascript.weak-hash.md5-sha1
  const strong = crypto.createHash("sha256").update(payload).digest("hex");
  // ok: javascript.weak-hash.md5-sha1
  const hmac = crypto.createHmac("sha512", process.env.SIGNING_KEY).update(payload).digest("hex");
  // ok: javascript.weak-hash.md5-sha1
  const sum = CryptoJS.SHA256(payload).toString();
  return { digest, alt, strong, hmac, sum };
}

function encrypt(text, key, iv) {
  // ruleid: javascript.weak-cipher.des-rc4-ecb
  const cipher = crypto.createCipheriv("des-ede3-cbc", key, iv);
  // ruleid: javascript.weak-cipher.des-rc4-ecb
  const ecb = crypto.createCipheriv("aes-128-ecb", key, null);
  // ruleid: javascript.weak-cipher.des-rc4-ecb
  const legacy = CryptoJS.DES.encrypt(text, key).toString();
  const opts = {
    // ruleid: javascript.weak-cipher.des-rc4-ecb
    mode: CryptoJS.mode.ECB,
    padding: CryptoJS.pad.Pkcs7,
  };
  // ok: javascript.weak-cipher.des-rc4-ecb
  const gcm = crypto.createCipheriv("aes-256-gcm", key, iv);
  // ok: javascript.weak-cipher.des-rc4-ecb
  const modern = CryptoJS.AES.encrypt(text, key, { mode: CryptoJS.mode.CBC, iv }).toString();
  return { cipher, ecb, legacy, opts, gcm, modern };
}

function issueSession(user) {
  // ruleid: javascript.insecure-randomness.math-random-secret
  const token = Math.random().toString(36).substring(2);
  // ruleid: javascript.insecure-randomness.math-random-secret
  user.resetCode = Math.floor(100000 + Math.random() * 900000);
  return {
    // ruleid: javascript.insecure-randomness.math-random-secret
    sessionId: Math.random().toString(16).slice(2),
    token,
  };
}

// ruleid: javascript.insecure-randomness.math-random-secret
function generatePassword() {
  return Array.from({ length: 12 }, () => CHARS[Math.floor(Math.random() * CHARS.length)]).join("");
}

function animate(items) {
  // ok: javascript.insecure-randomness.math-random-secret
  const delay = Math.random() * 300;
  // ok: javascript.insecure-randomness.math-random-secret
  const color = COLORS[Math.floor(Math.random() * COLORS.length)];
  // ok: javascript.insecure-randomness.math-random-secret
  const tokenLength = Math.floor(Math.random() * 10);
  // ok: javascript.insecure-randomness.math-random-secret
  const csrfToken = crypto.randomBytes(32).toString("hex");
  // ok: javascript.insecure-randomness.math-random-secret
  const footprint = Math.random();
  return { delay, color, tokenLength, csrfToken, footprint, items };
}
