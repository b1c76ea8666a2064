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
