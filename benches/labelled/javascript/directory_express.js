'use strict';
// Directory lookups via LDAP and an XML phone book.
const express = require('express');
const ldap = require('ldapjs');
const xpath = require('xpath');
const { DOMParser } = require('@xmldom/xmldom');
const fs = require('fs');

const router = express.Router();
const client = ldap.createClient({ url: 'ldap://ldap.example.com' });
const BOOK = new DOMParser().parseFromString(fs.readFileSync('/srv/phonebook.xml', 'utf8'));

router.get('/people', (req, res) => {
  const uid = req.query.uid;
  const opts = { filter: '(uid=' + uid + ')', scope: 'sub' };
  // expect: CWE-90
  client.search('ou=people,dc=example,dc=com', opts, (err, r) => res.json({ ok: !err }));
});

router.get('/people/safe', (req, res) => {
  const filter = new ldap.EqualityFilter({ attribute: 'uid', value: req.query.uid });
  const opts = { filter, scope: 'sub' };
  // safe: CWE-90
  client.search('ou=people,dc=example,dc=com', opts, (err, r) => res.json({ ok: !err }));
});

router.get('/people/all', (req, res) => {
  // safe: CWE-90
  client.search('ou=people,dc=example,dc=com', { filter: '(objectClass=person)' }, (err, r) => res.json({ ok: !err }));
});

router.get('/phone', (req, res) => {
  const name = req.query.name;
  // expect: CWE-643
  const nodes = xpath.select("//entry[name='" + name + "']/phone/text()", BOOK);
  res.json(nodes.map(String));
});

router.get('/phone/ext', (req, res) => {
  const ext = Number(req.query.ext) | 0;
  // safe: CWE-643
  const nodes = xpath.select('//entry[ext=' + ext + ']/name/text()', BOOK);
  res.json(nodes.map(String));
});

router.get('/phone/card', (req, res) => {
  const fields = [req.query.name, 'Directory'];
  // expect: CWE-79
  res.write('<p>' + fields[0] + '</p>');
  // safe: CWE-79
  res.end('<title>' + fields[1] + '</title>');
});

module.exports = router;
