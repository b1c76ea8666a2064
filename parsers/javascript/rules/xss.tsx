import React from "react";
import DOMPurify from "dompurify";

interface PostProps {
  title: string;
  bodyHtml: string;
}

export function Post({ title, bodyHtml }: PostProps) {
  const summary: string = `<em>${title}</em>`;
  return (
    <article>
      <section
        // ruleid: javascript.xss.react-dangerously-set-inner-html
        dangerouslySetInnerHTML={{ __html: bodyHtml }} />
      <header
        // ruleid: javascript.xss.react-dangerously-set-inner-html
        dangerouslySetInnerHTML={{ __html: summary }} />
      <section
        // ok: javascript.xss.react-dangerously-set-inner-html
        dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(bodyHtml) }} />
      <footer
        // ok: javascript.xss.react-dangerously-set-inner-html
        dangerouslySetInnerHTML={{ __html: "<small>All rights reserved</small>" }} />
    </article>
  );
}

export function mountBanner(el: HTMLElement, message: string): void {
  // ruleid: javascript.xss.inner-html
  el.innerHTML = `<div class="banner">${message}</div>`;
  // ok: javascript.xss.inner-html, javascript.xss.tainted-html
  el.innerHTML = "<div class=\"banner\"></div>";
}

export function showReferrer(target: HTMLElement): void {
  const from = document.referrer as string;
  const note: string = `<p>You came from ${from}</p>`;
  // ruleid: javascript.xss.tainted-html, javascript.xss.inner-html
  target.innerHTML = note;
  const hash: string = window.location.hash!;
  const id = Number(hash.slice(1));
  const link = `<a href="#${id}">back</a>`;
  // ruleid: javascript.xss.inner-html; ok: javascript.xss.tainted-html
  target.innerHTML = link;
}
