// The colours and line styles every picture of a model uses — the diagrams
// (render/) and the yEd export (export/graphml.cc) — so a reader who learnt
// them once reads both. docs/rendering.md#palette says which meaning each
// colour has and why.
//
// One colour has one meaning: the consent levels take the Okabe–Ito colours
// themselves, special-category data takes vermillion and nothing else does,
// the chains take darker shades, and the identifier kinds lighter tints (and
// darker ones) of those hues with a shape of their own where two hues come
// close under a colour-vision deficiency. tests/render/palette_test.cc
// checks that no two meanings share a colour and that the ones drawn in the
// same diagram stay apart under simulated deuteranopia and protanopia.
#pragma once

#include <array>
#include <string>

#include "model/model.h"

namespace imozuru::palette {

// Okabe & Ito (2008), "Color Universal Design".
inline constexpr const char* kBlack = "#000000";
inline constexpr const char* kOrange = "#E69F00";
inline constexpr const char* kSky = "#56B4E9";
inline constexpr const char* kGreen = "#009E73";
inline constexpr const char* kYellow = "#F0E442";
inline constexpr const char* kBlue = "#0072B2";
inline constexpr const char* kVermillion = "#D55E00";
inline constexpr const char* kPurple = "#CC79A7";

// Neutral colours: text, and the lines of styles whose meaning is their
// shape (holder markers, planned, edge width, a join open or restricted).
inline constexpr const char* kInk = "#222222";
inline constexpr const char* kGrey = "#5A5A5A";

// Special-category data (要配慮個人情報): its marks, and nothing else.
inline constexpr const char* kSpecial = kVermillion;

// The fill of a system in a highlighted result (chain view): a highlighter
// yellow, kept away from every identifier kind's fill and from a time-lapse
// frame's "new" fill.
inline constexpr const char* kHighlightFill = "#FFE066";

// The colours of highlighted chains, in turn: darker shades of four
// Okabe–Ito hues and a dark grey, drawn thick. Orange and yellow are left
// out: under deuteranopia and protanopia they come too near the vermillion
// of special-category data.
inline constexpr std::array<const char*, 5> kChainColours = {"#005B8E", "#007E5C", "#A36186", "#4187AF",
                                                             "#404040"};
inline const char* chain_colour(std::size_t chain) { return kChainColours[chain % kChainColours.size()]; }

// A colour (#RRGGBB) mixed with white; `amount` 0 keeps it, 1 is white.
inline std::string tint(const char* hex, double amount) {
  static const char* digits = "0123456789ABCDEF";
  std::string out = "#";
  for (int k = 0; k < 3; ++k) {
    int c = std::stoi(std::string(hex + 1 + 2 * k, 2), nullptr, 16);
    int mixed = static_cast<int>(c + (255 - c) * amount + 0.5);
    out += digits[mixed >> 4];
    out += digits[mixed & 15];
  }
  return out;
}

// The line colour of a flow with this consent.
inline const char* consent_colour(Consent c) {
  switch (c) {
    case Consent::none:
      return kBlack;
    case Consent::notice:
      return kSky;
    case Consent::opt_out:
      return kOrange;
    case Consent::opt_in:
      return kGreen;
    case Consent::card:
      return kBlue;
    case Consent::comprehensive:
      return kPurple;
  }
  return kInk;
}

// How a flow with this consent is drawn besides its colour, so that a
// greyscale print still tells the six apart: a line style (Graphviz `style`)
// and an arrowhead, filled or hollow; `glyphs` draw it in the legend.
// Notice and card, the two blues, differ in both.
struct LineStyle {
  const char* style;      // solid, dashed, dotted
  const char* arrowhead;  // normal (filled) or empty (hollow)
  const char* glyphs;     // the legend's sample
};
inline LineStyle consent_style(Consent c) {
  switch (c) {
    case Consent::none:
      return {"solid", "normal", "━━━▶"};
    case Consent::notice:
      return {"dotted", "normal", "┅┅┅▶"};
    case Consent::opt_out:
      return {"dashed", "normal", "╍╍╍▶"};
    case Consent::opt_in:
      return {"dashed", "empty", "╍╍╍▷"};
    case Consent::card:
      return {"solid", "empty", "━━━▷"};
    case Consent::comprehensive:
      return {"dotted", "empty", "┅┅┅▷"};
  }
  return {"solid", "normal", "━━━▶"};
}

// The sectors view's slide form draws a line whose flows have several
// consent modes in grey (a colour that means only the shape drawn in it),
// solid with an open "vee" arrowhead: none of the six, so no line implies
// a consent mode some of its flows do not have.
inline LineStyle mixed_consent_style() { return {"solid", "vee", "━━━&gt;"}; }

// The colour of an identifier of this kind: its node's border and, in the
// linkage view, the lines to its holders. Its fill is identifier_fill().
inline const char* identifier_colour(IdentifierKind k) {
  switch (k) {
    case IdentifierKind::national:
      return "#70435C";  // a dark shade of reddish purple, drawn with a double border
    case IdentifierKind::sectoral:
      return "#1A80BA";
    case IdentifierKind::token:
      return "#8C8C8C";
    case IdentifierKind::credential:
      return "#D186B0";
    case IdentifierKind::card:
      return "#E9A91A";
    case IdentifierKind::account:
      return "#1AA881";
    case IdentifierKind::service:
      return "#67BCEB";
    case IdentifierKind::local:
      return "#A8A02E";
    case IdentifierKind::quasi:
      return "#6C671E";
  }
  return kInk;
}

// An identifier node's fill: its colour, much lightened.
inline std::string identifier_fill(IdentifierKind k) { return tint(identifier_colour(k), 0.88); }

// An identifier node's shape and number of borders. Kinds whose colours come
// near each other under a colour-vision deficiency (card and local, token
// and account, credential and service) get different shapes.
struct NodeShape {
  const char* shape;  // Graphviz shape
  int peripheries;    // 2: a double border
  const char* glyph;  // the legend's sample
};
inline NodeShape identifier_shape(IdentifierKind k) {
  switch (k) {
    case IdentifierKind::national:
      return {"ellipse", 2, "◎"};
    case IdentifierKind::token:
    case IdentifierKind::card:
    case IdentifierKind::service:
      return {"parallelogram", 1, "▱"};
    case IdentifierKind::quasi:
      return {"octagon", 1, "╍"};  // dashed, as in the legend's line sample
    default:
      return {"ellipse", 1, "○"};
  }
}

}  // namespace imozuru::palette
