require "digest"
require "openssl"
require "securerandom"

class PasswordVault
  def fingerprint(password)
    # ruleid: ruby.weak-hash.md5-sha1
    Digest::MD5.hexdigest(password)
  end

  def legacy_signature(body)
    # ruleid: ruby.weak-hash.md5-sha1
    OpenSSL::Digest.new("sha1").hexdigest(body)
  end

  def checksum(body)
    # ok: ruby.weak-hash.md5-sha1
    Digest::SHA256.hexdigest(body)
  end

  def modern_signature(body)
    # ok: ruby.weak-hash.md5-sha1
    OpenSSL::Digest.new("SHA256").hexdigest(body)
  end

  def sha1_digest(body)
    # ruleid: ruby.weak-hash.md5-sha1
    OpenSSL::Digest::SHA1.new.digest(body)
  end

  def encrypt_legacy(data, key)
    # ruleid: ruby.weak-cipher.des-rc4-ecb
    cipher = OpenSSL::Cipher.new("des-cbc")
    cipher.encrypt
    cipher.key = key
    cipher.update(data) + cipher.final
  end

  def encrypt_ecb(data, key)
    # ruleid: ruby.weak-cipher.des-rc4-ecb
    cipher = OpenSSL::Cipher.new("aes-256-ecb")
    # ruleid: ruby.weak-cipher.des-rc4-ecb
    block = OpenSSL::Cipher::AES.new(128, :ECB)
    [cipher, block]
  end

  def encrypt(data, key)
    # ok: ruby.weak-cipher.des-rc4-ecb
    cipher = OpenSSL::Cipher.new("aes-256-gcm")
    # ok: ruby.weak-cipher.des-rc4-ecb
    other = OpenSSL::Cipher::AES.new(256, :GCM)
    [cipher, other]
  end

  def stream(key)
    # ruleid: ruby.weak-cipher.des-rc4-ecb
    OpenSSL::Cipher::RC4.new
  end
end

class User < ApplicationRecord
  def generate_reset_token
    # ruleid: ruby.insecure-randomness.security-value, ruby.insecure-randomness.tainted-secret
    self.reset_token = rand(36**32).to_s(36)
    # ruleid: ruby.insecure-randomness.security-value, ruby.insecure-randomness.tainted-secret
    @api_key = Array.new(40) { [*"a".."z", *"0".."9"].sample }.join
    # ok: ruby.insecure-randomness.security-value, ruby.insecure-randomness.tainted-secret
    self.reset_token = SecureRandom.urlsafe_base64(32)
    # ok: ruby.insecure-randomness.security-value, ruby.insecure-randomness.tainted-secret
    self.password = SecureRandom.alphanumeric(20)
    # ok: ruby.insecure-randomness.security-value, ruby.insecure-randomness.tainted-secret
    @retry_delay = rand(5)
    # ok: ruby.insecure-randomness.security-value, ruby.insecure-randomness.tainted-secret
    @api_key = [*"a".."z"].sample(40, random: SecureRandom).join
  end

  def issue_otp
    # ruleid: ruby.insecure-randomness.security-value, ruby.insecure-randomness.tainted-secret
    update!(otp: Random.new.rand(100_000..999_999).to_s)
  end
end

# Taint: predictable values judged by where they go.
class SessionsController < ApplicationController
  ALPHABET = [*"A".."Z", *"2".."9"].freeze
  BANNERS = ["Welcome back", "New: dark mode", "Invite a friend"].freeze

  def create
    user = User.authenticate(params[:email], params[:password])
    series = rand(2**64).to_s(16)
    # ruleid: ruby.insecure-randomness.tainted-secret
    cookies.encrypted[:remember_me] = { value: "#{user.id}:#{series}", httponly: true, secure: true }
    # ruleid: ruby.insecure-randomness.tainted-secret
    session[:mfa_challenge] = random_code(6)
    redirect_to root_path
  end

  def reset_password
    user = User.find_by!(email: params[:email])
    temporary = Array.new(12) { ALPHABET.sample }.join
    UserMailer.temporary_password(user, temporary).deliver_later
    # ruleid: ruby.insecure-randomness.tainted-secret
    user.update!(password: temporary)
    link = "https://example.com/confirm?code=#{random_code(24)}"
    # ruleid: ruby.insecure-randomness.tainted-secret
    user.confirmation_link = link
  end

  def issue_invite(account)
    code = +""
    8.times { code << ALPHABET.sample }
    # ruleid: ruby.insecure-randomness.tainted-secret
    account.invitations.create!(token: code)
  end

  def sign(payload)
    rng = Random.new
    key = rng.bytes(32)
    # ruleid: ruby.insecure-randomness.tainted-secret
    OpenSSL::HMAC.hexdigest("SHA256", key, payload)
  end

  def secure_create
    series = SecureRandom.hex(16)
    # ok: ruby.insecure-randomness.tainted-secret
    cookies.encrypted[:remember_me] = { value: series, httponly: true, secure: true }
    # ok: ruby.insecure-randomness.tainted-secret
    session[:mfa_challenge] = SecureRandom.random_number(1_000_000).to_s.rjust(6, "0")
  end

  def show
    sleep(0.1 + rand(0.25))
    banner = BANNERS.sample
    # ok: ruby.insecure-randomness.tainted-secret
    flash.now[:notice] = banner
    visitor = rand(10**9).to_s
    visitor = "anonymous"
    # ok: ruby.insecure-randomness.tainted-secret
    cookies[:visitor] = visitor
    code = ""
    if false
      code = random_code(6)
    end
    # ok: ruby.insecure-randomness.tainted-secret
    session[:legacy_code] = code
  end

  private

  def random_code(length)
    (1..length).map { ALPHABET[rand(ALPHABET.size)] }.join
  end
end

class Settings
  # ruleid: ruby.hardcoded-credentials.secret-literal
  ADMIN_PASSWORD = "Sup3rS3cret!"
  # ok: ruby.hardcoded-credentials.secret-literal
  PASSWORD_MIN_LENGTH = 12

  def initialize
    # ruleid: ruby.hardcoded-credentials.secret-literal
    @api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
    # ok: ruby.hardcoded-credentials.secret-literal
    @api_key = ENV.fetch("STRIPE_API_KEY")
    # ok: ruby.hardcoded-credentials.secret-literal
    @secret = Rails.application.credentials.secret
    # ok: ruby.hardcoded-credentials.secret-literal
    @password = ""
    # ok: ruby.hardcoded-credentials.secret-literal
    @password_hint = "Ask the administrator"
  end

  def connection
    # ruleid: ruby.hardcoded-credentials.secret-literal
    Mysql2::Client.new(host: "db.internal", username: "app", password: "hunter2-prod")
  end

  def client
    # ok: ruby.hardcoded-credentials.secret-literal
    Mysql2::Client.new(host: "db.internal", username: "app", password: ENV["DB_PASSWORD"])
  end
end

# Comparisons with VERIFY_NONE check the mode, they do not set it.
# ok: ruby.tls.verify-none
warn "insecure" if http.verify_mode == OpenSSL::SSL::VERIFY_NONE
