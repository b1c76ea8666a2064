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

# Flows from the request to unescaped HTML, followed through the controller.
class ProfilesController < ApplicationController
  def show
    name = params[:name]
    # ruleid: ruby.xss.tainted-html, ruby.xss.html-safe
    @title = "<h1>#{name}</h1>".html_safe

    user = { bio: params[:bio], role: "member" }
    # ruleid: ruby.xss.tainted-html, ruby.xss.html-safe
    @bio = user[:bio].html_safe
    # ok: ruby.xss.tainted-html, ruleid: ruby.xss.html-safe
    @role = user[:role].html_safe

    lines = []
    lines.push("<ul>")
    lines.push(params[:item])
    # ruleid: ruby.xss.tainted-html, ruby.xss.html-safe
    @item = lines[1].html_safe
    # ok: ruby.xss.tainted-html, ruleid: ruby.xss.html-safe
    @open = lines[0].html_safe

    greeting = format("<p>Hello %s</p>", cookies[:nick])
    # ruleid: ruby.xss.tainted-html, ruby.xss.html-safe
    @greeting = raw(greeting)

    safe = ERB::Util.html_escape(params[:q])
    # ok: ruby.xss.tainted-html, ruleid: ruby.xss.html-safe
    @query = "<b>#{safe}</b>".html_safe

    page = params[:page].to_i
    # ok: ruby.xss.tainted-html, ruleid: ruby.xss.html-safe
    @page = "<span>#{page}</span>".html_safe

    heading = params[:heading]
    heading = "Profile"
    # ok: ruby.xss.tainted-html, ruleid: ruby.xss.html-safe
    @heading = "<h2>#{heading}</h2>".html_safe

    trace = params[:trace]
    if false
      # ok: ruby.xss.tainted-html, ruleid: ruby.xss.html-safe
      @trace = trace.html_safe
    end
  end

  def remember_motto
    @motto = params[:motto]
  end

  def motto
    # ruleid: ruby.xss.tainted-html, ruby.xss.html-safe
    @badge = raw(badge(params[:label]))
    # ruleid: ruby.xss.tainted-html, ruby.xss.render-text
    render text: "<blockquote>#{@motto}</blockquote>"
  end

  private

  def badge(label)
    "<span class=\"badge\">#{label.upcase}</span>"
  end
end
