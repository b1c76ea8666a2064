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
