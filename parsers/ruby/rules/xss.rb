module CommentsHelper
  def render_comment(comment)
    # ruleid: ruby.xss.html-safe
    "<div class=\"comment\">#{comment.body}</div>".html_safe
  end

  def highlight(text)
    # ruleid: ruby.xss.html-safe
    raw(text.gsub(/\*(.+?)\*/, '<b>\1</b>'))
  end

  def separator
    # ok: ruby.xss.html-safe
    "<hr class=\"sep\">".html_safe
  end

  def footer_note
    # ok: ruby.xss.html-safe
    t(".footer_html").html_safe
  end

  def escaped(comment)
    # ok: ruby.xss.html-safe
    raw(sanitize(comment.body, tags: %w[b i]))
  end

  def bio(user)
    body = user.bio
    # ruleid: ruby.xss.html-safe
    body.html_safe
  end

  def spacer
    markup = "<span class=\"spacer\"></span>"
    # ok: ruby.xss.html-safe
    markup.html_safe
  end
end

class PagesController < ApplicationController
  def greet
    # ruleid: ruby.xss.html-safe, ruby.xss.tainted-html
    render html: "<h1>Hello #{params[:name]}</h1>".html_safe
  end

  def greet_escaped
    # ok: ruby.xss.html-safe
    render html: "<h1>Hello #{params[:name]}</h1>"
  end

  def legacy
    # ruleid: ruby.xss.render-text, ruby.xss.tainted-html
    render text: params[:message]
  end

  def ping
    # ok: ruby.xss.render-text
    render text: "pong"
  end

  def plain
    # ok: ruby.xss.render-text
    render plain: params[:message]
  end

  def escaped
    # ok: ruby.xss.render-text
    render text: ERB::Util.html_escape(params[:message])
  end

  def api
    # ok: ruby.xss.render-text
    render json: { message: params[:message] }
  end
end
