/* Fahras: suggestions as you type in the search box (an ARIA combobox with a listbox):
   completions of the whole text, then the best articles for the first one (instant results),
   asked for once the reader pauses. Without this script the box is a plain GET form;
   nothing else depends on it. */
(function () {
  "use strict";

  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !input.form || !window.fetch) {
    return;
  }
  var form = input.form;
  var url = input.getAttribute("data-suggest-url") || "/api/suggest";
  var items = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var shownFor = null;

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    shownFor = null;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function setActive(index) {
    var options = list.children;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    var item = items[index];
    close();
    if (item.href) {
      window.location.assign(item.href);
      return;
    }
    input.value = item.text;
    form.submit();
  }

  function isText(value) {
    return typeof value === "string" && value;
  }

  function render(query, suggestions, articles) {
    list.textContent = "";
    items = suggestions.filter(isText).map(function (text) { return { text: text }; });
    (articles || []).forEach(function (article) {
      if (article && isText(article.title) && isText(article.href) &&
          article.href.charAt(0) === "/" && article.href.charAt(1) !== "/") {
        items.push({ text: article.title, href: article.href });
      }
    });
    active = -1;
    if (!items.length) {
      close();
      return;
    }
    items.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = "suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = item.text;
      if (item.href) {
        option.className = "instant";
        option.setAttribute("aria-label", "مقال: " + item.text);
      }
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); /* keep the focus in the box */
        choose(i);
      });
      list.appendChild(option);
    });
    shownFor = query;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (!query) {
      close();
      return;
    }
    if (query === shownFor) {
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(url + "?articles=3&q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: pending.signal
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.ok && input.value.trim() === query && document.activeElement === input) {
          render(query, data.suggestions || [], data.articles);
        }
      })
      .catch(function () { /* no suggestions: the form still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 200); /* debounced: one request a pause */
  });

  input.addEventListener("keydown", function (event) {
    if (list.hidden || !items.length) {
      if (event.key === "ArrowDown" && input.value.trim()) {
        event.preventDefault();
        fetchSuggestions();
      }
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(active + 1 < items.length ? active + 1 : 0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(active > 0 ? active - 1 : items.length - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", function () {
    window.setTimeout(close, 150);
  });
})();

/* Fahras: query analytics. When the server keeps a query log (the body carries
   data-clicks-url), opening a result sends its query and rank with sendBeacon: nothing
   about the reader, and the link works the same with or without it. */
(function () {
  "use strict";

  var url = document.body && document.body.getAttribute("data-clicks-url");
  var list = document.querySelector("ol.hits");
  if (!url || !list || !navigator.sendBeacon || !window.URL) {
    return;
  }
  var first = parseInt(list.getAttribute("start") || "1", 10);
  list.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".hit-title a") : null;
    if (!link) {
      return;
    }
    var items = Array.prototype.slice.call(list.children);
    var rank = first + items.indexOf(link.closest("li.hit"));
    var query = new URL(link.href, window.location.href).searchParams.get("q") || "";
    var body = new Blob([JSON.stringify({ q: query, rank: rank })], { type: "application/json" });
    navigator.sendBeacon(url, body);
  });
})();
