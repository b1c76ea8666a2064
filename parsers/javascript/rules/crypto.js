const crypto = require("crypto");
const CryptoJS = require("crypto-js");
const bcrypt = require("bcrypt");
const jwt = require("jsonwebtoken");
const _ = require("lodash");

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
  // ruleid: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
  const token = Math.random().toString(36).substring(2);
  // ruleid: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
  user.resetCode = Math.floor(100000 + Math.random() * 900000);
  return {
    // ruleid: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
    sessionId: Math.random().toString(16).slice(2),
    token,
  };
}

// ruleid: javascript.insecure-randomness.math-random-secret
function generatePassword() {
  return Array.from({ length: 12 }, () => CHARS[Math.floor(Math.random() * CHARS.length)]).join("");
}

function animate(items) {
  // ok: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
  const delay = Math.random() * 300;
  // ok: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
  const color = COLORS[Math.floor(Math.random() * COLORS.length)];
  // ok: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
  const tokenLength = Math.floor(Math.random() * 10);
  // ok: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
  const csrfToken = crypto.randomBytes(32).toString("hex");
  // ok: javascript.insecure-randomness.math-random-secret, javascript.insecure-randomness.tainted-secret
  const footprint = Math.random();
  return { delay, color, tokenLength, csrfToken, footprint, items };
}

// Taint: predictable values judged by where they go.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const BANNERS = ["Welcome back", "New: dark mode", "Invite a friend"];

function randomString(length) {
  let out = "";
  for (let i = 0; i < length; i++) {
    out += ALPHABET.charAt(Math.floor(Math.random() * ALPHABET.length));
  }
  return out;
}

function login(req, res) {
  const sid = Math.random().toString(36).slice(2);
  // ruleid: javascript.insecure-randomness.tainted-secret
  res.cookie("sid", sid, { httpOnly: true, secure: true, sameSite: "lax" });
  // ruleid: javascript.insecure-randomness.tainted-secret
  req.session.challenge = randomString(6);
  // ruleid: javascript.insecure-randomness.tainted-secret
  document.cookie = "remember=" + Math.floor(Math.random() * 1e16) + "; Secure";
}

async function sendTemporaryPassword(user, mailer) {
  const temporary = randomString(10);
  await mailer.send(user.email, `Your temporary password is ${temporary}`);
  // ruleid: javascript.insecure-randomness.tainted-secret
  user.passwordHash = await bcrypt.hash(temporary, 12);
  const link = `https://example.com/verify?code=${randomString(24)}`;
  // ruleid: javascript.insecure-randomness.tainted-secret
  user.verificationLink = link;
}

function issueApiCredentials(account) {
  const key = String(Math.random()) + Date.now();
  // ruleid: javascript.insecure-randomness.tainted-secret
  const signature = crypto.createHmac("sha256", key).update(account.id).digest("hex");
  // ruleid: javascript.insecure-randomness.tainted-secret
  const session = jwt.sign({ sub: account.id }, key, { expiresIn: "1h" });
  const chars = [];
  for (let i = 0; i < 32; i++) {
    chars.push(ALPHABET[Math.floor(Math.random() * ALPHABET.length)]);
  }
  // ruleid: javascript.insecure-randomness.tainted-secret, javascript.insecure-randomness.math-random-secret
  account.apiKey = chars.join("") || Math.random().toString(36);
  return { signature, session };
}

function inviteCode(team) {
  const code = _.sampleSize(ALPHABET, 8).join("");
  // ruleid: javascript.insecure-randomness.tainted-secret
  team.invites.push({ inviteCode: code, expiresAt: Date.now() + 86400000 });
}

function secureLogin(req, res) {
  const sid = crypto.randomBytes(32).toString("hex");
  // ok: javascript.insecure-randomness.tainted-secret
  res.cookie("sid", sid, { httpOnly: true, secure: true, sameSite: "lax" });
  // ok: javascript.insecure-randomness.tainted-secret
  req.session.csrfToken = crypto.randomUUID();
}

function renderHome(req, res, attempt) {
  const jitter = Math.floor(Math.random() * 1000);
  setTimeout(() => res.end(), 2 ** attempt * 100 + jitter);
  // ok: javascript.insecure-randomness.tainted-secret
  res.set("Retry-After", String(2 ** attempt + Math.round(jitter / 1000)));
  const banner = BANNERS[Math.floor(Math.random() * BANNERS.length)];
  // ok: javascript.insecure-randomness.tainted-secret
  res.locals.banner = banner;
  let sid = Math.random().toString(36).slice(2);
  sid = req.sessionID;
  // ok: javascript.insecure-randomness.tainted-secret
  res.cookie("sid", sid, { httpOnly: true, secure: true, sameSite: "lax" });
  // ok: javascript.insecure-randomness.tainted-secret
  res.cookie("beta", Math.random() < 0.1, { httpOnly: true, secure: true, sameSite: "lax" });
  const legacyCodes = false;
  let code = "";
  if (legacyCodes) {
    code = randomString(6);
  }
  // ok: javascript.insecure-randomness.tainted-secret
  req.session.code = code;
}
