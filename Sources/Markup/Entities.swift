/// HTML character references: `&amp;`, `&#8220;`, `&#x201C;` and the named ones news text uses.
enum Entities {
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "ldquo": "\u{201C}", "rdquo": "\u{201D}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
        "bdquo": "\u{201E}", "sbquo": "\u{201A}", "laquo": "\u{AB}", "raquo": "\u{BB}",
        "lsaquo": "\u{2039}", "rsaquo": "\u{203A}", "prime": "\u{2032}", "Prime": "\u{2033}",
        "mdash": "\u{2014}", "ndash": "\u{2013}", "hellip": "\u{2026}", "minus": "\u{2212}",
        "shy": "\u{AD}", "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}",
        "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}", "middot": "\u{B7}", "bull": "\u{2022}",
        "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "deg": "\u{B0}", "times": "\u{D7}",
        "divide": "\u{F7}", "plusmn": "\u{B1}", "frac12": "\u{BD}", "frac14": "\u{BC}", "frac34": "\u{BE}",
        "euro": "\u{20AC}", "pound": "\u{A3}", "yen": "\u{A5}", "cent": "\u{A2}", "sect": "\u{A7}",
        "para": "\u{B6}", "dagger": "\u{2020}", "Dagger": "\u{2021}", "permil": "\u{2030}",
        "eacute": "\u{E9}", "egrave": "\u{E8}", "aacute": "\u{E1}", "agrave": "\u{E0}", "ccedil": "\u{E7}",
        "uuml": "\u{FC}", "ouml": "\u{F6}", "auml": "\u{E4}", "iacute": "\u{ED}", "oacute": "\u{F3}",
        "uacute": "\u{FA}", "ntilde": "\u{F1}", "szlig": "\u{DF}", "Eacute": "\u{C9}",
    ]

    /// The entity at `index` (which holds `&`): its length in bytes and the scalar it stands for,
    /// or nil when the text there is not an entity Scholia knows (it then stays as written).
    static func decode(_ bytes: [UInt8], at index: Int) -> (length: Int, scalar: Unicode.Scalar)? {
        let limit = min(bytes.count, index + 34)
        var i = index + 1
        guard i < limit else { return nil }
        if bytes[i] == 0x23 {  // '#'
            i += 1
            var hex = false
            if i < limit && (bytes[i] == 0x78 || bytes[i] == 0x58) { hex = true; i += 1 }
            let digitsStart = i
            var value: UInt32 = 0
            while i < limit, let digit = digitValue(bytes[i], hex: hex) {
                value = value &* (hex ? 16 : 10) &+ digit
                if value > 0x10FFFF { return nil }
                i += 1
            }
            guard i > digitsStart, i < limit, bytes[i] == 0x3B else { return nil }  // ';'
            // Invalid code points decode to the replacement character, as browsers do.
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (i + 1 - index, scalar ?? "\u{FFFD}")
        }
        let nameStart = i
        while i < limit && MarkupScanner.isASCIIAlphanumeric(bytes[i]) { i += 1 }
        guard i > nameStart, i < limit, bytes[i] == 0x3B else { return nil }
        let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
        guard let scalar = named[name] else { return nil }
        return (i + 1 - index, scalar)
    }

    static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        if byte >= 0x30 && byte <= 0x39 { return UInt32(byte - 0x30) }
        guard hex else { return nil }
        if byte >= 0x61 && byte <= 0x66 { return UInt32(byte - 0x61 + 10) }
        if byte >= 0x41 && byte <= 0x46 { return UInt32(byte - 0x41 + 10) }
        return nil
    }
}
