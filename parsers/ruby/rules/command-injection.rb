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

# Flows from the request to a shell command, followed through the controller.
class BackupsController < ApplicationController
  def create
    dir = params[:dir]
    # ruleid: ruby.command-injection.tainted-command, ruby.command-injection.shell-string
    system("tar czf /tmp/backup.tgz #{dir}")

    opts = { level: params[:level], format: "tgz" }
    # ruleid: ruby.command-injection.tainted-command, ruby.command-injection.backticks
    `gzip -#{opts[:level]} /tmp/backup.tar`
    # ok: ruby.command-injection.tainted-command, ruleid: ruby.command-injection.shell-string
    system("tar --format=#{opts[:format]} -cf /tmp/b.tar .")

    args = []
    args.push("-v")
    args.push(params[:extra])
    # ruleid: ruby.command-injection.tainted-command, ruby.command-injection.shell-string
    system("rsync " + args[1] + " /srv /backup")
    # ok: ruby.command-injection.tainted-command, ruleid: ruby.command-injection.shell-string
    system("rsync " + args[0] + " /srv /backup")

    cmd = "du -sh "
    cmd << params[:path]
    # ruleid: ruby.command-injection.tainted-command
    usage = IO.popen(cmd).read

    safe = Shellwords.escape(params[:path])
    # ok: ruby.command-injection.tainted-command, ruleid: ruby.command-injection.backticks
    size = `du -sh #{safe}`

    target = params[:target]
    target = "/srv/www"
    # ok: ruby.command-injection.tainted-command, ruleid: ruby.command-injection.shell-string
    system("ls -la #{target}")

    verbose = params[:v]
    if false
      # ok: ruby.command-injection.tainted-command, ruleid: ruby.command-injection.shell-string
      system("ls #{verbose}")
    end

    # ok: ruby.command-injection.tainted-command
    system("du", "-sh", params[:path])
    # ruleid: ruby.command-injection.tainted-command
    Open3.capture2("sh", "-c", "du -sh #{params[:path]}")
    [usage, size]
  end

  def remember_host
    @host = params[:host]
  end

  def ping
    # ruleid: ruby.command-injection.tainted-command, ruby.command-injection.shell-string
    system(ping_command(params[:host]))
    # ruleid: ruby.command-injection.tainted-command, ruby.command-injection.shell-string, ruby.sql-injection.interpolated-query
    exec("ssh backup@#{@host} true")
  end

  private

  def ping_command(host)
    "ping -c 1 #{host}"
  end
end

class ConversionsController < ApplicationController
  def create
    # ruleid: ruby.command-injection.tainted-command, ruby.command-injection.shell-string
    system("convert #{conversion_params[:source]} /tmp/out.png")
    # ok: ruby.command-injection.tainted-command, ruleid: ruby.command-injection.shell-string
    system("convert #{default_source} /tmp/out.png")
  end

  private

  def conversion_params
    params.require(:conversion).permit(:source)
  end

  def default_source
    "/srv/samples/logo.png"
  end
end
