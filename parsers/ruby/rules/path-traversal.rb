class DownloadsController < ApplicationController
  BASE = Rails.root.join("storage", "exports")

  def show
    # ruleid: ruby.path-traversal.request-path, ruby.path-traversal.tainted-path
    send_file "#{BASE}/#{params[:name]}"
  end

  def show_safe
    # ok: ruby.path-traversal.request-path
    send_file File.join(BASE, File.basename(params[:name])), disposition: "attachment"
  end

  def show_report
    # ok: ruby.path-traversal.request-path
    send_file Rails.root.join("public", "report.pdf")
  end

  def preview
    # ruleid: ruby.path-traversal.request-path, ruby.path-traversal.tainted-path
    data = File.read(File.join("uploads", params[:file]))
    # ok: ruby.path-traversal.request-path
    config = File.read(Rails.root.join("config", "preview.yml"))
    render plain: data + config
  end

  def destroy
    # ruleid: ruby.path-traversal.request-path, ruby.path-traversal.tainted-path
    FileUtils.rm_f(Rails.root.join("tmp", params[:id]))
    # ok: ruby.path-traversal.request-path
    FileUtils.rm_f(Rails.root.join("tmp", "#{current_user.id}.lock"))
    head :no_content
  end

  def page
    # ruleid: ruby.path-traversal.request-path, ruby.path-traversal.tainted-path
    render file: "pages/#{params[:page]}"
  end

  def static_page
    # ok: ruby.path-traversal.request-path
    render template: "pages/about"
  end
end

# Flows from the request to file paths, followed through the controller.
class AttachmentsController < ApplicationController
  def show
    name = params[:name]
    # ruleid: ruby.path-traversal.tainted-path
    body = File.read("/srv/attachments/" + name)

    req = { file: params[:file], dir: "inbox" }
    # ruleid: ruby.path-traversal.tainted-path
    mail = File.open("/srv/mail/#{req[:file]}")
    # ok: ruby.path-traversal.tainted-path
    listing = Dir.entries("/srv/mail/#{req[:dir]}")

    segments = []
    segments.push("/srv/export")
    segments.push(params[:report])
    # ruleid: ruby.path-traversal.tainted-path
    FileUtils.rm_f(segments.join("/"))
    # ok: ruby.path-traversal.tainted-path
    FileUtils.mkdir_p(segments[0])

    clean = File.basename(params[:name])
    # ok: ruby.path-traversal.tainted-path
    send_file "/srv/attachments/#{clean}"

    log = params[:log]
    log = "app.log"
    # ok: ruby.path-traversal.tainted-path
    send_file "/var/log/#{log}"

    dump = params[:dump]
    if false
      # ok: ruby.path-traversal.tainted-path
      send_file dump
    end
    [body, mail, listing]
  end

  def choose
    @export = params[:export]
  end

  def download
    # ruleid: ruby.path-traversal.tainted-path, ruby.path-traversal.request-path
    send_file export_path(params[:file])
    # ruleid: ruby.path-traversal.tainted-path
    File.read("/srv/export/#{@export}.csv")
  end

  private

  def export_path(file)
    File.join("/srv/export", file.strip)
  end
end
