// The colours every picture of a model uses — the diagrams (render/) and the
// yEd export (export/graphml.cc) — so a reader who learnt them once reads
// both: the Okabe–Ito palette, distinguishable with the common colour-vision
// deficiencies, and the colours of identifier kinds and consent levels.
#pragma once

#include <string>

#include "model/model.h"

namespace imozuru::palette {

inline constexpr const char* kOrange = "#E69F00";
inline constexpr const char* kSky = "#56B4E9";
inline constexpr const char* kGreen = "#009E73";
inline constexpr const char* kYellow = "#F0E442";
inline constexpr const char* kBlue = "#0072B2";
inline constexpr const char* kVermillion = "#D55E00";
inline constexpr const char* kPurple = "#CC79A7";
inline constexpr const char* kInk = "#222222";
inline constexpr const char* kGrey = "#5A5A5A";

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
      return "#3A3A3A";
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

// The colour of an identifier of this kind (its border; its fill is a tint).
inline const char* identifier_colour(IdentifierKind k) {
  switch (k) {
    case IdentifierKind::national:
      return kVermillion;
    case IdentifierKind::sectoral:
      return kBlue;
    case IdentifierKind::token:
      return kGrey;
    case IdentifierKind::credential:
      return kPurple;
    case IdentifierKind::card:
      return kOrange;
    case IdentifierKind::account:
      return kGreen;
    case IdentifierKind::service:
      return kSky;
    case IdentifierKind::local:
      return "#B8A800";  // darker yellow: kYellow is unreadable as a line
    case IdentifierKind::quasi:
      return "#8A7A00";
  }
  return kInk;
}

}  // namespace imozuru::palette
