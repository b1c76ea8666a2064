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
  // ruleid: javascript.deserialization.node-serialize
  const prefs = serialize.unserialize(Buffer.from(req.cookies.prefs, "base64").toString());
  // ok: javascript.deserialization.node-serialize
  const defaults = serialize.unserialize('{"theme":"dark"}');
  // ruleid: javascript.deserialization.js-yaml-full-schema
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
  // ruleid: javascript.ldap-injection.filter-concatenation
  client.search("ou=people,dc=example,dc=com", { filter: `(mail=${req.body.email})`, scope: "sub" }, onResult);
  // ok: javascript.ldap-injection.filter-concatenation
  client.search(BASE_DN, { filter: "(objectClass=person)", scope: "sub" }, onResult);
  // ok: javascript.ldap-injection.filter-concatenation
  client.search(BASE_DN, { filter: `(uid=${escapeLdapFilter(req.body.username)})` }, onResult);
  // ok: javascript.ldap-injection.filter-concatenation
  const rows = items.filter((x) => x.id === req.body.id);
  client.search(BASE_DN, opts, onResult);
});

app.get("/catalog", (req, res) => {
  const doc = new DOMParser().parseFromString(catalogXml, "text/xml");
  // ruleid: javascript.xpath-injection.expression-concatenation
  const nodes = xpath.select("//book[author='" + req.query.author + "']", doc);
  // ruleid: javascript.xpath-injection.expression-concatenation
  const user = xpath.select1(`/users/user[name='${req.query.name}' and pass='${req.query.pass}']`, doc);
  // ok: javascript.xpath-injection.expression-concatenation
  const all = xpath.select("//book[@available='true']", doc);
  // ok: javascript.xpath-injection.expression-concatenation
  const cols = knex.select("name", "price").from("books");
  res.json({ nodes: nodes.length, user, all, cols });
});
