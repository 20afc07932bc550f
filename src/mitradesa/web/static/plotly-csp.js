// Lets Plotly draw under the page's Content-Security-Policy without loosening it.
// Plotly (its bundled CSS loader and d3) adds <style> elements and sets `style` attributes
// from script; the CSP refuses both (inline styles need the page's nonce). Loaded before
// plotly.min.js: a <style> element created by script gets the nonce of the page's own
// <style nonce> element, and setAttribute("style", ...) goes through the CSSOM, which the
// CSP allows. Markup injected into the page still gets neither.
(function () {
  "use strict";
  var own = document.querySelector("style[nonce]");
  var nonce = own ? own.nonce : "";
  function withNonce(node) {
    if (nonce && node && node.nodeName === "STYLE" && !node.nonce) {
      node.setAttribute("nonce", nonce);
    }
    return node;
  }
  var append = Node.prototype.appendChild;
  Node.prototype.appendChild = function (node) {
    return append.call(this, withNonce(node));
  };
  var insert = Node.prototype.insertBefore;
  Node.prototype.insertBefore = function (node, before) {
    return insert.call(this, withNonce(node), before);
  };
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === "style" && this.style) {
      this.style.cssText = value;
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };
})();
