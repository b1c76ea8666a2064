const libxmljs = require("libxmljs");
const serialize = require("node-serialize");
const yaml = require("js-yaml");
const ldap = require("ldapjs");
const xpath = require("xpath");

app.post("/import", (req, res) => {
  // ruleid: javascript.xxe.libxml-noent
  const doc = libxmljs.parseXml(req.body.xml, { noent: true, nonet: false });
  // ok: javascript.xxe.libxml-noent
  const safe = libxmljs.parseXml(req.body.xml, { noent: false });
  // ok: javascript.xxe.libxml-noent
  const plain = libxmljs.parseXmlString(req.body.xml);
  res.json({ doc: doc.root().name(), safe, plain });
});

app.get("/prefs", (req, res) => {
  // ruleid: javascript.deserialization.node-serialize, javascript.deserialization.tainted-data
  const prefs = serialize.unserialize(Buffer.from(req.cookies.prefs, "base64").toString());
  // ok: javascript.deserialization.node-serialize, javascript.deserialization.tainted-data
  const defaults = serialize.unserialize('{"theme":"dark"}');
  // ruleid: javascript.deserialization.js-yaml-full-schema, javascript.deserialization.tainted-data
  const conf = yaml.load(req.body.config, { schema: yaml.DEFAULT_FULL_SCHEMA });
  // ok: javascript.deserialization.js-yaml-full-schema
  const conf2 = yaml.load(req.body.config, { schema: yaml.CORE_SCHEMA });
  res.json({ prefs, defaults, conf, conf2 });
});

app.post("/ldap/login", (req, res) => {
  const opts = {
    // ruleid: javascript.ldap-injection.filter-concatenation
    filter: "(&(uid=" + req.body.username + ")(objectClass=person))",
    scope: "sub",
  };
  // ruleid: javascript.ldap-injection.filter-concatenation, javascript.ldap-injection.tainted-filter
  client.search("ou=people,dc=example,dc=com", { filter: `(mail=${req.body.email})`, scope: "sub" }, onResult);
  // ok: javascript.ldap-injection.filter-concatenation, javascript.ldap-injection.tainted-filter
  client.search(BASE_DN, { filter: "(objectClass=person)", scope: "sub" }, onResult);
  // ok: javascript.ldap-injection.filter-concatenation, javascript.ldap-injection.tainted-filter
  client.search(BASE_DN, { filter: `(uid=${escapeLdapFilter(req.body.username)})` }, onResult);
  // ok: javascript.ldap-injection.filter-concatenation, javascript.ldap-injection.tainted-filter
  const rows = items.filter((x) => x.id === req.body.id);
  // ruleid: javascript.ldap-injection.tainted-filter
  client.search(BASE_DN, opts, onResult);
});

app.get("/catalog", (req, res) => {
  const doc = new DOMParser().parseFromString(catalogXml, "text/xml");
  // ruleid: javascript.xpath-injection.expression-concatenation, javascript.xpath-injection.tainted-expression
  const nodes = xpath.select("//book[author='" + req.query.author + "']", doc);
  // ruleid: javascript.xpath-injection.expression-concatenation, javascript.xpath-injection.tainted-expression
  const user = xpath.select1(`/users/user[name='${req.query.name}' and pass='${req.query.pass}']`, doc);
  // ok: javascript.xpath-injection.expression-concatenation, javascript.xpath-injection.tainted-expression
  const all = xpath.select("//book[@available='true']", doc);
  // ok: javascript.xpath-injection.expression-concatenation, javascript.xpath-injection.tainted-expression
  const cols = knex.select("name", "price").from("books");
  res.json({ nodes: nodes.length, user, all, cols });
});

// Flows followed by the taint analysis.

function decodeState(raw) {
  return Buffer.from(raw, "base64").toString("utf8");
}

class DirectoryLookup {
  constructor(client) {
    this.client = client;
  }

  prepare(req) {
    this.uid = req.query.uid;
  }

  find(done) {
    const filter = "(uid=" + this.uid + ")";
    // ruleid: javascript.ldap-injection.tainted-filter
    this.client.search("ou=people,dc=example,dc=com", { filter, scope: "sub" }, done);
  }
}

app.get("/restore", (req, res) => {
  const state = decodeState(req.cookies.state);
  // ruleid: javascript.deserialization.tainted-data, javascript.deserialization.node-serialize
  const session = serialize.unserialize(state);
  const blobs = { client: req.body.blob, server: '{"v":1}' };
  // ruleid: javascript.deserialization.tainted-data, javascript.deserialization.node-serialize
  const restored = serialize.unserialize(blobs.client);
  // ruleid: javascript.deserialization.node-serialize; ok: javascript.deserialization.tainted-data
  const known = serialize.unserialize(blobs.server);
  res.json({ session, restored, known });
});

app.get("/people", (req, res) => {
  const terms = ["(objectClass=person)"];
  terms.push("(cn=" + req.query.cn + ")");
  const query = "(&" + terms.join("") + ")";
  // ruleid: javascript.ldap-injection.tainted-filter
  client.search(BASE_DN, { filter: query, scope: "sub" }, onResult);
  const everyone = terms[0];
  // ok: javascript.ldap-injection.tainted-filter
  client.search(BASE_DN, { filter: everyone, scope: "sub" }, onResult);
  const escaped = "(sn=" + escapeLdapFilter(req.query.sn) + ")";
  // ok: javascript.ldap-injection.tainted-filter
  client.search(BASE_DN, { filter: escaped }, onResult);
  let group = req.query.group;
  group = "staff";
  const byGroup = `(memberOf=cn=${group},ou=groups,dc=example,dc=com)`;
  // ok: javascript.ldap-injection.tainted-filter
  client.search(BASE_DN, { filter: byGroup }, onResult);
});

app.get("/books", (req, res) => {
  const doc = new DOMParser().parseFromString(catalogXml, "text/xml");
  const criteria = { title: req.query.title, shelf: "A" };
  const byTitle = util.format("//book[title='%s']", criteria.title);
  // ruleid: javascript.xpath-injection.tainted-expression
  const hits = xpath.select(byTitle, doc);
  const byShelf = "//book[@shelf='" + criteria.shelf + "']";
  // ok: javascript.xpath-injection.tainted-expression
  const shelf = xpath.select(byShelf, doc);
  const year = parseInt(req.query.year, 10);
  const byYear = `//book[@year=${year}]`;
  // ok: javascript.xpath-injection.tainted-expression
  const recent = xpath.select(byYear, doc);
  let author = "";
  if (false) {
    author = req.query.author;
  }
  const byAuthor = "//book[author='" + author + "']";
  // ok: javascript.xpath-injection.tainted-expression
  const none = xpath.select(byAuthor, doc);
  res.json({ hits: hits.length, shelf: shelf.length, recent: recent.length, none: none.length });
});
