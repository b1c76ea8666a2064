import hashlib
import random
import secrets
import string

from Crypto.Cipher import AES, ARC4, DES
from Crypto.Hash import MD5
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def password_digest(password):
    # ruleid: python.weak-hash.md5-sha1
    return hashlib.md5(password.encode()).hexdigest()


def signature(payload):
    # ruleid: python.weak-hash.md5-sha1
    legacy = hashlib.sha1(payload).hexdigest()
    # ruleid: python.weak-hash.md5-sha1
    other = hashlib.new("md5", payload).hexdigest()
    # ruleid: python.weak-hash.md5-sha1
    crypto_md5 = MD5.new(payload).hexdigest()
    # ruleid: python.weak-hash.md5-sha1
    digest = hashes.Hash(hashes.SHA1())
    # ok: python.weak-hash.md5-sha1
    strong = hashlib.sha256(payload).hexdigest()
    # ok: python.weak-hash.md5-sha1
    named = hashlib.new("sha256", payload).hexdigest()
    # ok: python.weak-hash.md5-sha1
    etag = hashlib.md5(payload, usedforsecurity=False).hexdigest()
    return legacy, other, crypto_md5, digest, strong, named, etag


def encrypt(key, data, iv):
    # ruleid: python.weak-cipher.broken-algorithm
    des = DES.new(key, DES.MODE_CBC, iv)
    # ruleid: python.weak-cipher.broken-algorithm
    rc4 = ARC4.new(key)
    # ruleid: python.weak-cipher.broken-algorithm
    tdes = Cipher(algorithms.TripleDES(key), modes.CBC(iv))
    # ok: python.weak-cipher.broken-algorithm
    gcm = AES.new(key, AES.MODE_GCM)
    # ok: python.weak-cipher.broken-algorithm
    aes = Cipher(algorithms.AES(key), modes.GCM(iv))
    return des, rc4, tdes, gcm, aes


def encrypt_ecb(key, data, iv):
    # ruleid: python.weak-cipher.ecb-mode
    ecb = AES.new(key, AES.MODE_ECB)
    # ruleid: python.weak-cipher.ecb-mode
    other = Cipher(algorithms.AES(key), modes.ECB())
    # ok: python.weak-cipher.ecb-mode
    cbc = AES.new(key, AES.MODE_CBC, iv)
    # ok: python.weak-cipher.ecb-mode
    ctr = Cipher(algorithms.AES(key), modes.CTR(iv))
    return ecb.encrypt(data), other, cbc, ctr


def make_reset_token(user):
    # ruleid: python.insecure-randomness.security-value, python.insecure-randomness.tainted-secret
    user.reset_token = "".join(random.choice(string.ascii_letters) for _ in range(32))
    # ruleid: python.insecure-randomness.security-value, python.insecure-randomness.tainted-secret
    otp = random.randint(100000, 999999)
    # ok: python.insecure-randomness.security-value
    api_token = secrets.token_urlsafe(32)
    # ok: python.insecure-randomness.security-value
    delay = random.uniform(0.5, 1.5)
    # ok: python.insecure-randomness.security-value
    password = "".join(random.SystemRandom().choice(string.digits) for _ in range(12))
    return otp, api_token, delay, password


def generate_password(length=12):
    alphabet = string.ascii_letters + string.digits
    # ruleid: python.insecure-randomness.security-value
    return "".join(random.choice(alphabet) for _ in range(length))


def pick_color():
    # ok: python.insecure-randomness.security-value
    return random.choice(["red", "green", "blue"])


# Taint: predictable random values that become secrets, judged by where they go.
def issue_session(response, user):
    sid = "%032x" % random.getrandbits(128)
    # ruleid: python.insecure-randomness.tainted-secret
    response.set_cookie("sid", sid, httponly=True, secure=True)
    code = str(random.normalvariate(5e5, 1e5))
    # ruleid: python.insecure-randomness.tainted-secret
    session["mfa"] = code
    temp = "".join(random.choices(string.ascii_letters, k=12))
    # ruleid: python.insecure-randomness.tainted-secret
    user.set_password(temp)
    jitter = random.uniform(0.1, 0.5)
    # ruleid: python.cookie.secure-flag-missing; ok: python.insecure-randomness.tainted-secret
    response.set_cookie("retry_after", str(int(jitter * 10)))
    # ok: python.insecure-randomness.tainted-secret
    session["theme"] = random.choice(["light", "dark"]) if False else "light"
    sid = secrets.token_hex(16)
    # ruleid: python.cookie.secure-flag-missing; ok: python.insecure-randomness.tainted-secret
    response.set_cookie("sid2", sid)
    # ruleid: python.insecure-randomness.tainted-secret, python.insecure-randomness.security-value
    remember_me_key = random.random()
