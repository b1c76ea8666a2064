class SessionsController < ApplicationController
  def create
    user = User.authenticate(params[:email], params[:password])
    session[:user_id] = user.id
    # ruleid: ruby.open-redirect.request-url, ruby.open-redirect.tainted-redirect
    redirect_to params[:return_to] || root_path
  end

  def back
    # ruleid: ruby.open-redirect.request-url, ruby.open-redirect.tainted-redirect
    redirect_to request.referer
  end

  def continue
    # ruleid: ruby.open-redirect.request-url, ruby.open-redirect.tainted-redirect
    redirect_to "#{params[:next]}", allow_other_host: true
  end

  def safe_continue
    # ok: ruby.open-redirect.request-url
    redirect_to url_from(params[:return_to]) || root_path
  end

  def profile
    # ok: ruby.open-redirect.request-url
    redirect_to user_path(params[:id])
  end

  def home
    # ok: ruby.open-redirect.request-url
    redirect_to root_path, notice: "Signed in"
  end

  def show
    # ok: ruby.open-redirect.request-url
    redirect_to @user
  end

  def path_only
    # ok: ruby.open-redirect.request-url
    redirect_to params.permit(:page).merge(only_path: true)
  end
end

# Flows from the request to redirects, followed through the controller.
class ReturnsController < ApplicationController
  def create
    target = params[:next]
    # ruleid: ruby.open-redirect.tainted-redirect
    redirect_to target

    opts = { back: request.referer, home: "/home" }
    # ruleid: ruby.open-redirect.tainted-redirect
    redirect_to opts[:back]
  end

  def update
    stack = []
    stack.push("/welcome")
    stack.push(params[:return])
    # ruleid: ruby.open-redirect.tainted-redirect
    redirect_to stack[1]
  end

  def destroy
    opts = { back: request.referer, home: "/home" }
    # ok: ruby.open-redirect.tainted-redirect
    redirect_to opts[:home]
  end

  def index
    stack = ["/welcome", params[:return]]
    # ok: ruby.open-redirect.tainted-redirect
    redirect_to stack[0]
  end

  def edit
    id = params[:id].to_i
    # ok: ruby.open-redirect.tainted-redirect
    redirect_to "/items/#{id}"
  end

  def new
    ret = params[:ret]
    ret = "/account"
    # ok: ruby.open-redirect.tainted-redirect
    redirect_to ret
  end

  def preview
    dest = params[:dest]
    if false
      # ok: ruby.open-redirect.tainted-redirect
      redirect_to dest
    end
    # ok: ruby.open-redirect.tainted-redirect
    redirect_to url_from(params[:dest]) || root_path
  end

  def remember
    @return_to = params[:return_to]
  end

  def finish
    # ruleid: ruby.open-redirect.tainted-redirect
    redirect_to with_tracking(params[:to])
  end

  def finish_remembered
    # ruleid: ruby.open-redirect.tainted-redirect
    redirect_to @return_to
  end

  private

  def with_tracking(url)
    "#{url}?utm_source=mail"
  end
end

class LoginRedirectsController < ApplicationController
  def new
    # ok: ruby.open-redirect.tainted-redirect
    redirect_to "/login?return=#{params[:next]}"
    # ruleid: ruby.open-redirect.tainted-redirect
    redirect_to "//#{params[:host]}/landing"
  end
end
