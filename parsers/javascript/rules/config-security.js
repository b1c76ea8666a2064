const https = require("https");
const session = require("express-session");
const mysql = require("mysql");
const axios = require("axios");

// ruleid: javascript.hardcoded-credentials.secret-literal
const DB_PASSWORD = "S3cr3t!2019";
// ruleid: javascript.hardcoded-credentials.secret-literal
const stripeApiKey = "sk_live_51HxYzAbCdEfGh";

const connection = mysql.createConnection({
  host: "db.internal",
  user: "app",
  // ruleid: javascript.hardcoded-credentials.secret-literal
  password: "p@ssw0rd123",
});

app.use(session({
  // ruleid: javascript.hardcoded-credentials.secret-literal
  secret: "keyboard cat",
  resave: false,
  cookie: {
    // ruleid: javascript.insecure-cookie.flag-disabled
    secure: false,
    maxAge: 3600000,
  },
}));

function configure(config) {
  // ruleid: javascript.hardcoded-credentials.secret-literal
  config.jwtSecret = "my-jwt-signing-secret";
  // ok: javascript.hardcoded-credentials.secret-literal
  config.password = process.env.DB_PASSWORD;
  // ok: javascript.hardcoded-credentials.secret-literal
  config.apiKey = "";
  // ok: javascript.hardcoded-credentials.secret-literal
  const PASSWORD_FIELD = "password";
  // ok: javascript.hardcoded-credentials.secret-literal
  const ERR_PASSWORD = "invalid_password";
  // ok: javascript.hardcoded-credentials.secret-literal
  const passwordHint = "Use at least twelve characters";
  // ok: javascript.hardcoded-credentials.secret-literal
  const secret = "<your-secret-here>";
  // ok: javascript.hardcoded-credentials.secret-literal
  const password = "Enter your password";
  return { PASSWORD_FIELD, ERR_PASSWORD, passwordHint, secret, password };
}

// ruleid: javascript.tls.verification-disabled
const agent = new https.Agent({ rejectUnauthorized: false });
// ruleid: javascript.tls.verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
// ruleid: javascript.tls.verification-disabled
request({ url: "https://partner.example.com/feed", strictSSL: false }, onFeed);
// ok: javascript.tls.verification-disabled
const strict = new https.Agent({ rejectUnauthorized: true, ca: fs.readFileSync("ca.pem") });
// ok: javascript.tls.verification-disabled
const pool = new Pool({ ssl: { rejectUnauthorized: process.env.NODE_ENV === "production" } });

app.post("/login", (req, res) => {
  // ruleid: javascript.insecure-cookie.flag-disabled
  res.cookie("session", token, { httpOnly: false, secure: true });
  // ok: javascript.insecure-cookie.flag-disabled
  res.cookie("session", token, { httpOnly: true, secure: true, sameSite: "strict" });
  // ok: javascript.insecure-cookie.flag-disabled
  const transporter = nodemailer.createTransport({ host: "smtp.example.com", port: 587, secure: false });
  res.end();
});

// Names restated as values are field names, not secrets.
const awsFields = {
  // ok: javascript.hardcoded-credentials.secret-literal
  accessKey: "accessKey",
  // ok: javascript.hardcoded-credentials.secret-literal
  secretAccessKey: "secret-access-key",
};
