import os
import subprocess
import asyncio

from flask import request

BACKUP_CMD = "tar czf /var/backups/site.tgz /srv/site"


def ping(host):
    # ruleid: python.command-injection.os-system
    os.system("ping -c 1 " + host)
    # ruleid: python.command-injection.os-system
    output = os.popen(f"nslookup {host}").read()
    # ok: python.command-injection.os-system
    os.system("uptime")
    # ok: python.command-injection.os-system
    os.system(BACKUP_CMD)
    # ok: python.command-injection.os-system
    path = os.path.join("/tmp", host)
    return output, path


def convert(request):
    filename = request.files["doc"].filename
    cmd = "libreoffice --headless --convert-to pdf %s" % filename
    # ruleid: python.command-injection.subprocess-shell, python.command-injection.tainted-command
    subprocess.call(cmd, shell=True)
    # ruleid: python.command-injection.subprocess-shell, python.command-injection.tainted-command
    out = subprocess.check_output("file " + filename, shell=True, text=True)
    # ok: python.command-injection.subprocess-shell
    subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", filename], check=True)
    # ok: python.command-injection.subprocess-shell
    subprocess.run("ls -la /srv/uploads", shell=True)
    # ok: python.command-injection.subprocess-shell
    subprocess.check_output(cmd, shell=False)
    return out


async def archive():
    target = request.args.get("dir")
    # ruleid: python.command-injection.subprocess-shell, python.command-injection.tainted-command
    proc = await asyncio.create_subprocess_shell("du -sh " + target)
    # ok: python.command-injection.subprocess-shell
    other = await asyncio.create_subprocess_exec("du", "-sh", target)
    return proc, other


# Taint: request data into shells.
import shlex


def archive_command(name):
    return "tar czf /tmp/out.tgz " + name


class Runner:
    def configure(self):
        self.target = request.form["host"]

    def ping(self):
        # ruleid: python.command-injection.tainted-command, python.command-injection.os-system
        os.system("ping -c 1 " + self.target)


@app.route("/tools", methods=["POST"])
def tools():
    host = request.form["host"]
    # ruleid: python.command-injection.tainted-command, python.command-injection.os-system
    os.system(archive_command(host))
    # ruleid: python.command-injection.tainted-command
    subprocess.run(["sh", "-c", "nslookup " + host])
    # ok: python.command-injection.tainted-command
    subprocess.run(["nslookup", host])
    # ruleid: python.command-injection.os-system; ok: python.command-injection.tainted-command
    os.system("nslookup " + shlex.quote(host))
    count = int(request.form["count"])
    # ruleid: python.command-injection.os-system; ok: python.command-injection.tainted-command
    os.system("ping -c %d localhost" % count)
    opts = {"host": host, "flags": "-n"}
    # ruleid: python.command-injection.os-system; ok: python.command-injection.tainted-command
    os.system("nslookup " + opts["flags"])
    host = "localhost"
    # ok: python.command-injection.tainted-command, python.command-injection.os-system
    os.system("ping -c 1 " + host)
    debug = False
    if debug:
        # ruleid: python.command-injection.os-system; ok: python.command-injection.tainted-command
        os.system("echo " + request.form["msg"])
    return "ok"
