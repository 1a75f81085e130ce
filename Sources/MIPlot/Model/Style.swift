import Foundation

/// An opaque sRGB colour.
///
/// Colours are plain values so figures stay `Equatable`; gnuplot receives
/// them as `rgb "#RRGGBB"`.
public struct Color: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Red, green and blue components, 0...255.
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    /// A colour from its components.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 24-bit `0xRRGGBB` literal.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// `#RRGGBB`, upper case: the form gnuplot and SVG read.
    public var hex: String {
        let digits = Array("0123456789ABCDEF")
        var s = "#"
        for c in [red, green, blue] {
            s.append(digits[Int(c >> 4)])
            s.append(digits[Int(c & 0xF)])
        }
        return s
    }

    /// The colour as the integer `0xRRGGBB` (gnuplot's `rgb variable` form).
    public var rgbInteger: Int { Int(red) << 16 | Int(green) << 8 | Int(blue) }

    public var description: String { hex }

    /// This colour mixed towards white: `amount` 0 keeps it, 1 gives white.
    ///
    /// Raw training traces are drawn in `tint(Palette.rawTint)` of their
    /// series colour, behind the smoothed trace in the full colour.
    public func tint(_ amount: Double) -> Color {
        let t = Swift.min(Swift.max(amount, 0), 1)
        func mix(_ c: UInt8) -> UInt8 { UInt8((Double(c) + (255 - Double(c)) * t).rounded()) }
        return Color(red: mix(red), green: mix(green), blue: mix(blue))
    }

    /// Relative luminance (0 black ... 1 white), used to pick a readable
    /// text colour over a filled cell.
    public var luminance: Double {
        func lin(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * lin(red) + 0.7152 * lin(green) + 0.0722 * lin(blue)
    }

    /// Linear interpolation between two colours, `t` in 0...1.
    public static func mix(_ a: Color, _ b: Color, _ t: Double) -> Color {
        let t = Swift.min(Swift.max(t, 0), 1)
        func m(_ x: UInt8, _ y: UInt8) -> UInt8 { UInt8((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return Color(red: m(a.red, b.red), green: m(a.green, b.green), blue: m(a.blue, b.blue))
    }

    /// Black: the default of reference lines (the truth).
    public static let black = Color(hex: 0x000000)
    /// White.
    public static let white = Color(hex: 0xFFFFFF)
    /// Mid grey.
    public static let grey = Color(hex: 0x7F7F7F)
    // The Okabe-Ito colours (Okabe & Ito 2008), distinguishable with the
    // common colour-vision deficiencies.
    /// Okabe-Ito blue, the first series colour.
    public static let blue = Color(hex: 0x0072B2)
    /// Okabe-Ito vermillion.
    public static let vermillion = Color(hex: 0xD55E00)
    /// Okabe-Ito bluish green.
    public static let bluishGreen = Color(hex: 0x009E73)
    /// Okabe-Ito reddish purple.
    public static let reddishPurple = Color(hex: 0xCC79A7)
    /// Okabe-Ito orange.
    public static let orange = Color(hex: 0xE69F00)
    /// Okabe-Ito sky blue.
    public static let skyBlue = Color(hex: 0x56B4E9)
    /// A darkened Okabe-Ito yellow: the original (#F0E442) is too pale for
    /// thin lines on white.
    public static let olive = Color(hex: 0x9A8A00)
}

/// The fixed colour scheme of every figure.
public enum Palette {
    /// Series colours in the order they are handed out to layers without an
    /// explicit colour: Okabe-Ito, most distinct first, black and the pale
    /// yellow left out (black is kept for reference lines such as the truth).
    public static let series: [Color] = [
        .blue, .vermillion, .bluishGreen, .reddishPurple, .orange, .skyBlue, .olive, .grey,
    ]

    /// The `index`-th series colour, cycling.
    public static func color(_ index: Int) -> Color {
        series[((index % series.count) + series.count) % series.count]
    }

    /// How far raw traces are mixed towards white (see `Color.tint`).
    public static let rawTint = 0.62

    /// Default colour of reference lines (the truth, bounds such as log K).
    public static let reference = Color.black

    /// Stops of the sequential heat-map scale (viridis: perceptually uniform,
    /// colour-blind friendly, readable in grey scale), low to high.
    public static let heatMap: [Color] = [
        Color(hex: 0x440154), Color(hex: 0x3B528B), Color(hex: 0x21918C), Color(hex: 0x5EC962), Color(hex: 0xFDE725),
    ]

    /// The heat-map colour at `t` in 0...1 (piecewise linear between stops,
    /// as gnuplot's `set palette defined` interpolates).
    public static func heatMapColor(_ t: Double) -> Color {
        let stops = heatMap
        let x = Swift.min(Swift.max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = Swift.min(Int(x), stops.count - 2)
        return Color.mix(stops[i], stops[i + 1], x - Double(i))
    }
}

/// How a line is dashed.
public enum Dash: Sendable, Hashable, Codable {
    case solid
    /// Long dashes: bounds such as log K or 1 + log(K/alpha).
    case dashed
    case dotted
    case dashDot
}

/// The marker of a point series.
public enum Marker: Sendable, Hashable, Codable {
    case circle, square, triangle, diamond, cross, plus
    /// Outline variants.
    case openCircle, openSquare, openTriangle, openDiamond
}
