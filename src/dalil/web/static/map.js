// The case map: Leaflet with vector layers only (no tile server, nothing from another
// host). Incidents are clustered (leaflet.markercluster) and labelled with their title
// and date once zoomed in; burial sites are squares, never clustered; each popup links
// to the record. The points come from the page's <script type="application/json"
// id="map-data"> block (the CSP allows no inline script); the boundaries and GeoNames
// places from data.layers, fetched after the markers are drawn so that they never delay
// them. Every text from the data goes in through textContent, never as HTML.
// Once the markers are drawn #map gets data-ready="1" and the performance mark
// "dalil-map-markers" ("dalil-map-painted" two frames later); once the boundaries are,
// data-layers="1" and "dalil-map-layers" (benchmarks/web.py measures them).
// Written for dalil.
(function () {
  "use strict";
  var node = document.getElementById("map-data");
  var box = document.getElementById("map");
  if (!node || !box || !window.L) { return; }
  var data = JSON.parse(node.textContent);
  var ar = data.lang === "ar";
  var text = data.text;
  document.getElementById("map-figure").hidden = false;
  box.setAttribute("dir", "ltr");  // Leaflet lays its panes out left to right

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content !== undefined && content !== null) { e.textContent = content; }
    return e;
  }
  function bdi(content) { var b = el("bdi", null, content); b.setAttribute("dir", "auto"); return b; }

  var map = L.map(box, {attributionControl: false, zoomControl: false, zoomSnap: 0.5,
                        minZoom: 4, maxZoom: 16});
  L.control.zoom({position: ar ? "topright" : "topleft"}).addTo(map);

  function popup(p) {
    var div = el("div", "map-pop");
    div.setAttribute("dir", ar ? "rtl" : "ltr");
    var kind = el("p", "map-pop-kind");
    kind.append(p.k === "event" ? text.incident : text.burial, " ", bdi(p.n));
    var link = el("a", "map-pop-title");
    link.href = p.u;
    link.append(bdi(p.t));
    var meta = el("p", "map-pop-meta");
    meta.append(bdi(p.w || ""));
    if (p.p) { meta.append(" · ", bdi(p.p)); }
    var open = el("a", "btn btn-sm btn-outline-primary", text.open);
    open.href = p.u;
    div.append(kind, link, meta, open);
    return div;
  }

  function icon(p) {
    var wrap = el("span", "map-mark");
    wrap.append(el("span", "map-pin", p.n));
    if (p.k === "event") {
      var tag = el("span", "map-tag");
      tag.append(bdi(p.t));
      if (p.w) { tag.append(" ", bdi(p.w)); }
      wrap.append(tag);
    }
    if (p.k === "event") {
      return L.divIcon({className: "m-event", html: wrap, iconSize: [24, 24],
                        iconAnchor: [12, 12], popupAnchor: [0, -12]});
    }
    // a burial site is a flag: the square stands beside its spot, on a stem, so that a
    // cluster of incidents at the same place stays visible and clickable
    return L.divIcon({className: "m-burial", html: wrap, iconSize: [22, 22],
                      iconAnchor: [-6, 36], popupAnchor: [17, -36]});
  }

  var clusters = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 44, spiderfyOnMaxZoom: true,
    chunkedLoading: true,
    iconCreateFunction: function (cluster) {
      var n = cluster.getChildCount();
      var wrap = el("span", "map-pin", String(n));
      return L.divIcon({className: "m-cluster" + (n >= 100 ? " big" : ""), html: wrap,
                        iconSize: n >= 100 ? [40, 40] : [32, 32]});
    }
  });
  var sites = L.layerGroup();
  var bounds = L.latLngBounds([]);
  var incidents = [];
  data.points.forEach(function (p) {
    p.u = data.records + (p.k === "event" ? "incidents/" : "records/") + p.id;
    var m = L.marker([p.lat, p.lon], {icon: icon(p), title: p.t, alt: p.t, keyboard: true,
                                       riseOnHover: true, zIndexOffset: p.k === "event" ? 0 : -1000});
    m.bindPopup(function () { return popup(p); });
    if (p.k === "event") { incidents.push(m); } else { sites.addLayer(m); }
    bounds.extend([p.lat, p.lon]);
  });
  clusters.addLayers(incidents);
  map.addLayer(clusters);
  sites.addTo(map);

  function fit() {
    // about 20 km across at least: zoom 12 at this latitude shows 25-40 km
    map.fitBounds(bounds.pad(0.15), {maxZoom: 12, animate: false});
  }
  fit();

  var Fit = L.Control.extend({
    onAdd: function () {
      var b = el("button", "map-fit btn btn-sm btn-light border", text.fit);
      b.type = "button";
      L.DomEvent.disableClickPropagation(b);
      L.DomEvent.on(b, "click", fit);
      return b;
    }
  });
  new Fit({position: ar ? "topleft" : "topright"}).addTo(map);

  // labels by zoom: governorates from 7, big places from 8, all places from 10, the
  // incidents' titles and dates from 12
  function zoomed() {
    var z = map.getZoom();
    var c = box.classList;
    c.toggle("show-regions", z >= 7 && z < 11);
    c.toggle("show-big-places", z >= 8);
    c.toggle("show-places", z >= 10);
    c.toggle("show-tags", z >= 12);
  }
  map.on("zoomend", zoomed);
  zoomed();
  box.dataset.ready = "1";
  if (window.performance && performance.mark) {
    performance.mark("dalil-map-markers");
    // the frame after the next has begun: the markers' frame has been painted
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { performance.mark("dalil-map-painted"); });
    });
  }

  function label(layer, name, cls) {
    var t = el("span", null, name);
    t.setAttribute("dir", "auto");
    layer.bindTooltip(t, {permanent: true, direction: "center", className: cls, interactive: false});
  }
  function named(props) { return (ar && props.name_ar) || props.admname || props.name || ""; }

  fetch(data.layers, {credentials: "same-origin"}).then(function (r) {
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  }).then(function (geo) {
    var under = L.featureGroup().addTo(map);
    // Syria's land is its governorates (a coastline to about 200 m); the 1:110m
    // outline of the neighbours is too coarse for a town on the coast, so Syria's own
    // outline from that layer is not drawn
    L.geoJSON(geo.countries, {interactive: false,
      filter: function (f) { return f.properties.iso_a3 !== "SYR"; },
      style: {color: "#6b6b6b", weight: 1, fillColor: "#e6e1d6", fillOpacity: 1}}).addTo(under);
    L.geoJSON(geo.regions, {interactive: false,
      style: {color: "#8a8a8a", weight: 1, dashArray: "4 3", fillColor: "#fbfaf5", fillOpacity: 1},
      onEachFeature: function (f, layer) {
        var centre = layer.getBounds().getCenter();
        var mark = L.circleMarker(centre, {radius: 0, opacity: 0, interactive: false});
        label(mark, named(f.properties), "lbl-region");
        mark.addTo(under);
      }}).addTo(under);
    (geo.extra || []).forEach(function (layer) {
      L.geoJSON(layer, {interactive: false, style: {color: "#7a6a9a", weight: 0.8, fill: false}})
        .addTo(under);
    });
    geo.places.forEach(function (pl) {
      var dot = L.circleMarker([pl[2], pl[3]], {radius: pl[4] >= 100000 ? 3 : 2, weight: 1,
        color: "#555", fillColor: "#fff", fillOpacity: 1, interactive: false,
        className: "place" + (pl[4] >= 50000 ? " big" : "")});
      label(dot, (ar && pl[1]) || pl[0], "lbl-place" + (pl[4] >= 50000 ? " big" : ""));
      dot.addTo(under);
    });
    // bringToBack on a group sends each child back in turn, reversing their order
    under.getLayers().slice().reverse().forEach(function (l) { l.bringToBack(); });
    box.dataset.layers = "1";
    if (window.performance && performance.mark) { performance.mark("dalil-map-layers"); }
  }).catch(function () { /* the markers stand without the boundaries */ });
})();
