// Colours as a reader with a colour-vision deficiency sees them, and how far
// apart two colours look, for the palette tests (docs/rendering.md#palette).
//
// - Simulation: Machado, Oliveira & Fernandes (2009), "A Physiologically-
//   based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6),
//   the matrices for severity 1.0 (dichromacy), applied to linear RGB.
// - Distance: CIEDE2000 (Sharma, Wu & Dalal 2005, "The CIEDE2000 color-
//   difference formula: implementation notes…") in CIELAB, D65 white.
#pragma once

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace imozuru::testing::colour {

using Rgb = std::array<double, 3>;  // linear RGB, 0..1
struct Lab {
  double L, a, b;
};

enum class Vision { normal, deuteranopia, protanopia };
inline const char* to_string(Vision v) {
  return v == Vision::normal ? "normal" : v == Vision::deuteranopia ? "deuteranopia" : "protanopia";
}

// "#RRGGBB" (or "#RRGGBBAA", alpha ignored) as linear RGB.
inline Rgb linear_rgb(const std::string& hex) {
  if (hex.size() != 7 && hex.size() != 9) throw std::invalid_argument("not a #RRGGBB colour: " + hex);
  Rgb out{};
  for (int k = 0; k < 3; ++k) {
    const double c = std::stoi(hex.substr(1 + 2 * k, 2), nullptr, 16) / 255.0;
    out[k] = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  }
  return out;
}

// Machado et al. 2009, severity 1.0.
inline Rgb simulate(const Rgb& rgb, Vision v) {
  static constexpr double kDeuteranopia[3][3] = {
      {0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}};
  static constexpr double kProtanopia[3][3] = {
      {0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}};
  if (v == Vision::normal) return rgb;
  const auto& m = v == Vision::deuteranopia ? kDeuteranopia : kProtanopia;
  Rgb out{};
  for (int i = 0; i < 3; ++i) {
    double s = 0;
    for (int j = 0; j < 3; ++j) s += m[i][j] * rgb[j];
    out[i] = std::min(1.0, std::max(0.0, s));
  }
  return out;
}

// Linear sRGB to CIELAB (D65).
inline Lab lab(const Rgb& c) {
  const double X = 0.4124564 * c[0] + 0.3575761 * c[1] + 0.1804375 * c[2];
  const double Y = 0.2126729 * c[0] + 0.7151522 * c[1] + 0.0721750 * c[2];
  const double Z = 0.0193339 * c[0] + 0.1191920 * c[1] + 0.9503041 * c[2];
  auto f = [](double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; };
  const double fx = f(X / 0.95047), fy = f(Y / 1.0), fz = f(Z / 1.08883);
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

inline Lab lab(const std::string& hex, Vision v) { return lab(simulate(linear_rgb(hex), v)); }

// CIEDE2000 ΔE00 (kL = kC = kH = 1).
inline double delta_e2000(const Lab& x, const Lab& y) {
  constexpr double kPi = 3.14159265358979323846;
  auto rad = [&](double deg) { return deg * kPi / 180.0; };
  auto deg = [&](double r) { return r * 180.0 / kPi; };
  const double C1 = std::hypot(x.a, x.b), C2 = std::hypot(y.a, y.b);
  const double Cbar = (C1 + C2) / 2.0;
  const double G = 0.5 * (1.0 - std::sqrt(std::pow(Cbar, 7) / (std::pow(Cbar, 7) + std::pow(25.0, 7))));
  const double a1 = (1.0 + G) * x.a, a2 = (1.0 + G) * y.a;
  const double C1p = std::hypot(a1, x.b), C2p = std::hypot(a2, y.b);
  auto hue = [&](double a, double b) {
    if (a == 0 && b == 0) return 0.0;
    double h = deg(std::atan2(b, a));
    return h < 0 ? h + 360.0 : h;
  };
  const double h1 = hue(a1, x.b), h2 = hue(a2, y.b);
  const double dL = y.L - x.L, dC = C2p - C1p;
  double dh = 0;
  if (C1p * C2p != 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    if (dh < -180) dh += 360;
  }
  const double dH = 2.0 * std::sqrt(C1p * C2p) * std::sin(rad(dh / 2.0));
  const double Lbar = (x.L + y.L) / 2.0, Cbarp = (C1p + C2p) / 2.0;
  double hbar = h1 + h2;
  if (C1p * C2p != 0) {
    if (std::abs(h1 - h2) <= 180)
      hbar = (h1 + h2) / 2.0;
    else
      hbar = h1 + h2 < 360 ? (h1 + h2 + 360) / 2.0 : (h1 + h2 - 360) / 2.0;
  }
  const double T = 1 - 0.17 * std::cos(rad(hbar - 30)) + 0.24 * std::cos(rad(2 * hbar)) +
                   0.32 * std::cos(rad(3 * hbar + 6)) - 0.20 * std::cos(rad(4 * hbar - 63));
  const double dtheta = 30 * std::exp(-std::pow((hbar - 275) / 25, 2));
  const double RC = 2 * std::sqrt(std::pow(Cbarp, 7) / (std::pow(Cbarp, 7) + std::pow(25.0, 7)));
  const double SL = 1 + 0.015 * std::pow(Lbar - 50, 2) / std::sqrt(20 + std::pow(Lbar - 50, 2));
  const double SC = 1 + 0.045 * Cbarp;
  const double SH = 1 + 0.015 * Cbarp * T;
  const double RT = -std::sin(rad(2 * dtheta)) * RC;
  return std::sqrt(std::pow(dL / SL, 2) + std::pow(dC / SC, 2) + std::pow(dH / SH, 2) +
                   RT * (dC / SC) * (dH / SH));
}

// How far apart two colours look to a reader with vision `v`.
inline double distance(const std::string& a, const std::string& b, Vision v) {
  return delta_e2000(lab(a, v), lab(b, v));
}

}  // namespace imozuru::testing::colour
