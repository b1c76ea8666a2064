require "open3"
require "shellwords"

class ArchiveController < ApplicationController
  def compress
    dir = params[:dir]
    # ruleid: ruby.command-injection.shell-string, ruby.command-injection.tainted-command
    system("tar czf /tmp/out.tgz #{dir}")
    # ok: ruby.command-injection.shell-string
    system("tar", "czf", "/tmp/out.tgz", dir)
    # ok: ruby.command-injection.shell-string
    system("tar czf /tmp/out.tgz /var/app/shared")
    cmd = "du -sh " + dir
    # ruleid: ruby.command-injection.shell-string, ruby.command-injection.tainted-command
    exec(cmd)
    fixed = "uptime"
    # ok: ruby.command-injection.shell-string
    exec(fixed)
    # ok: ruby.command-injection.shell-string
    system("du -sh #{Shellwords.escape(dir)}")
    # ok: ruby.command-injection.shell-string
    system(Shellwords.join(["du", "-sh", dir]))
    # ruleid: ruby.command-injection.shell-string, ruby.command-injection.tainted-command
    pid = spawn("convert #{params[:file]} out.png", chdir: "/tmp")
    Process.wait(pid)
  end

  def convert(name)
    # ruleid: ruby.command-injection.shell-string
    out, status = Open3.capture2e("convert #{name} /tmp/thumb.png")
    # ok: ruby.command-injection.shell-string
    out, status = Open3.capture2e("convert", name, "/tmp/thumb.png")
    # ruleid: ruby.command-injection.shell-string
    IO.popen("grep -r #{name} /srv/logs") { |io| io.read }
    # ok: ruby.command-injection.shell-string
    IO.popen(["grep", "-r", name, "/srv/logs"]) { |io| io.read }
    # ok: ruby.command-injection.shell-string
    Kernel.system(RESTART_COMMAND)
    # ok: ruby.command-injection.shell-string
    runner.exec(name)
    out
  end

  def list(path)
    # ruleid: ruby.command-injection.backticks
    listing = `ls -la #{path}`
    # ruleid: ruby.command-injection.backticks, ruby.command-injection.tainted-command
    sizes = %x(du -sh #{params[:dir]})
    # ok: ruby.command-injection.backticks
    version = `git rev-parse HEAD`
    # ok: ruby.command-injection.backticks
    safe = `ls -la #{Shellwords.escape(path)}`
    # ok: ruby.command-injection.backticks
    safe2 = `ls -la #{path.shellescape}`
    [listing, sizes, version, safe, safe2]
  end
end
