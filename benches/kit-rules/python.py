# Fixtures for python.yaml. Each annotated line was checked against semgrep 1.180 with the kit's
# security.yml: ruleid lines are semgrep findings, ok lines are not.
import hashlib
import os
import pickle
import subprocess

import yaml


def code(user, code, globs, args, kw, g):
    # ruleid: kit.py-eval-exec-nonliteral
    eval(user)
    # ruleid: kit.py-eval-exec-nonliteral
    exec(code, globs)
    # ruleid: kit.py-eval-exec-nonliteral
    eval(f"{user}+1")
    # ruleid: kit.py-eval-exec-nonliteral
    eval("a" + user)
    # ruleid: kit.py-eval-exec-nonliteral
    exec(*args)
    # ruleid: kit.py-eval-exec-nonliteral
    eval(**kw)
    # ruleid: kit.py-eval-exec-nonliteral
    eval(user, globals=g)
    # ruleid: kit.py-eval-exec-nonliteral
    eval(1)
    # ruleid: kit.py-eval-exec-nonliteral
    eval(None)
    # ok: kit.py-eval-exec-nonliteral
    eval("1+1")
    # ok: kit.py-eval-exec-nonliteral
    exec("x = 1", globs)
    # ok: kit.py-eval-exec-nonliteral
    eval(f"abc")
    # ok: kit.py-eval-exec-nonliteral
    eval("a" "b")
    # ok: kit.py-eval-exec-nonliteral
    eval("a" + "b")
    # ok: kit.py-eval-exec-nonliteral
    eval(b"abc")
    # ok: kit.py-eval-exec-nonliteral
    eval()
    # ok: kit.py-eval-exec-nonliteral
    eval(globals=g)
    # ok: kit.py-eval-exec-nonliteral
    builtins.eval(user)
    # ok: kit.py-eval-exec-nonliteral
    self.eval(user)
    x = "abc"
    # ok: kit.py-eval-exec-nonliteral
    eval(x)


def shell(cmd, kw):
    # ruleid: kit.py-subprocess-shell-true
    subprocess.run(cmd, shell=True)
    # ruleid: kit.py-subprocess-shell-true
    subprocess.call("ls", cwd="/", shell=True)
    # ruleid: kit.py-subprocess-shell-true
    subprocess.check_output(["ls"], shell=True)
    # ruleid: kit.py-subprocess-shell-true
    subprocess.run(cmd, **kw, shell=True)
    # ruleid: kit.py-subprocess-shell-true
    subprocess.run(cmd, shell=(True))
    # ok: kit.py-subprocess-shell-true
    subprocess.Popen(cmd, shell=False)
    # ok: kit.py-subprocess-shell-true
    subprocess.run(cmd, shell=1)
    # ok: kit.py-subprocess-shell-true
    subprocess.run.foo(cmd, shell=True)
    # ok: kit.py-subprocess-shell-true
    other.run(cmd, shell=True)
    # ruleid: kit.py-os-system
    os.system(cmd)
    # ruleid: kit.py-os-system
    os.system("ls")
    # ok: kit.py-os-system
    os.path.system(cmd)
    # ok: kit.py-os-system
    os.popen(cmd)


def load(data, fh, s, L, kw, a):
    # ruleid: kit.py-pickle-load
    pickle.loads(data)
    # ruleid: kit.py-pickle-load
    pickle.load(fh, encoding="latin1")
    # ruleid: kit.py-pickle-load
    pickle.loads(b"x")
    # ok: kit.py-pickle-load
    pickle.dumps(data)
    # ruleid: kit.py-yaml-load-no-loader
    yaml.load(s)
    # ruleid: kit.py-yaml-load-no-loader
    yaml.load(stream=s)
    # ruleid: kit.py-yaml-load-no-loader
    yaml.load()
    # ruleid: kit.py-yaml-load-no-loader
    yaml.load(*a)
    # ruleid: kit.py-yaml-load-no-loader
    yaml.load(**kw)
    # ruleid: kit.py-yaml-load-no-loader
    yaml.load(s, foo=1)
    # ok: kit.py-yaml-load-no-loader
    yaml.load(s, Loader=yaml.SafeLoader)
    # ok: kit.py-yaml-load-no-loader
    yaml.load(s, yaml.SafeLoader)
    # ok: kit.py-yaml-load-no-loader
    yaml.load(stream=s, Loader=L)
    # ok: kit.py-yaml-load-no-loader
    yaml.load(Loader=L)
    # ok: kit.py-yaml-load-no-loader
    yaml.load(s, *a)
    # ok: kit.py-yaml-load-no-loader
    yaml.load(s, **kw)
    # ok: kit.py-yaml-load-no-loader
    yaml.safe_load(s)


def hashes():
    # ruleid: kit.py-weak-hash
    hashlib.md5(b"x")
    # ruleid: kit.py-weak-hash
    hashlib.sha1()
    # ruleid: kit.py-weak-hash
    hashlib.md5(b"x", usedforsecurity=False)
    # ok: kit.py-weak-hash
    hashlib.sha256()
    # ok: kit.py-weak-hash
    hashlib.new("md5")
    # ok: kit.py-weak-hash
    return hashlib.sha1
