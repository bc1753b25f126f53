import JSON
import Testing

@Suite struct ParseErrorPositionTests {
    private func parseError(_ text: String) throws -> JSONParseError {
        do {
            let value = try JSONParser().parse(text)
            Issue.record("expected an error, parsed \(value)")
            throw CancellationError()
        } catch let error as JSONParseError {
            return error
        }
    }

    @Test func badTokenIsNamedByItsOwnByte() throws {
        let error = try parseError(#"{"a":x}"#)
        #expect(error.code == .syntax)
        #expect(error.line == 1)
        #expect(error.column == 6)
        #expect(error.byteOffset == 5)  // the `x`
        #expect(error.description.contains("line 1, column 6 (byte 5)"))
    }

    @Test func positionOnASecondLine() throws {
        let text = "{\"a\":1,\n \"b\": ?}"
        let error = try parseError(text)
        #expect(error.line == 2)
        #expect(error.column == 7)
        #expect(error.byteOffset == 14)
        #expect(Array(text.utf8)[error.byteOffset] == UInt8(ascii: "?"))
    }

    @Test func columnCountsCharactersAndOffsetCountsBytes() throws {
        // "ا" is two bytes in UTF-8 but one column.
        let error = try parseError(#"{"ا":1, x}"#)
        #expect(error.line == 1)
        #expect(error.column == 9)
        #expect(error.byteOffset == 9)
    }

    @Test func offendingMultiByteCharacterIsNamedByItsFirstByte() throws {
        let error = try parseError("[1, é]")
        #expect(error.byteOffset == 4)
        #expect(error.column == 5)
    }

    @Test func truncatedInputPointsAtItsEnd() throws {
        let error = try parseError(#"{"a":1"#)
        #expect(error.code == .prematureEnd)
        #expect(error.byteOffset == 6)
        #expect(error.column == 7)
    }

    @Test func emptyInputIsPrematureEnd() throws {
        let error = try parseError("")
        #expect(error.code == .prematureEnd)
        #expect(error.byteOffset == 0)
        #expect(error.line == 1 && error.column == 1)
        #expect(try parseError("  \n ").code == .prematureEnd)
    }

    @Test func trailingDataIsRefused() throws {
        let error = try parseError("1 2")
        #expect(error.code == .trailingData)
        #expect(error.byteOffset == 2)
        // Trailing white space is not data.
        #expect(try JSONParser().parse("{} \r\n") == .object(JSONObject()))
    }
}

@Suite struct NumberTests {
    @Test func integersAndRealsStayApart() throws {
        #expect(try JSONValue.parse("1") == .integer(1))
        #expect(try JSONValue.parse("1.0") == .real(1.0))
        #expect(try JSONValue.parse("1e2") == .real(100))
        #expect(try JSONValue.parse("-0") == .integer(0))
        #expect(JSONValue.integer(1) != JSONValue.real(1.0))
        #expect(try JSONValue.parse("[1, 1.0]").serializedString() == "[1,1.0]")
    }

    @Test func int64ExtremesRoundTrip() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .integer(.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .integer(.min))
        #expect(JSONValue.integer(.max).serializedString() == "9223372036854775807")
        #expect(JSONValue.integer(.min).serializedString() == "-9223372036854775808")
    }

    @Test(arguments: ["9223372036854775808", "-9223372036854775809", "1e400"])
    func overflowIsAnErrorNotARounding(text: String) {
        do {
            let value = try JSONValue.parse(text)
            Issue.record("\(text) parsed as \(value)")
        } catch {
            #expect(error.code == .numericOverflow)
        }
    }

    @Test func realsReadBackExactly() throws {
        for value in [0.1, 1.0 / 3.0, 1e-300, 123456.789, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude] {
            let text = JSONValue.real(value).serializedString()
            #expect(try JSONValue.parse(text) == .real(value), "\(value) was written as \(text)")
        }
        #expect(JSONValue.real(0.1).serializedString() == "0.1")
    }

    @Test func nonFiniteRealsAreWrittenAsNull() {
        #expect(JSONValue.real(.nan).serializedString() == "null")
        #expect(JSONValue.real(.infinity).serializedString() == "null")
    }

    @Test func integerValueAcceptsWholeReals() {
        #expect(JSONValue.real(3.0).integerValue == 3)
        #expect(JSONValue.real(3.5).integerValue == nil)
        #expect(JSONValue.string("3").integerValue == nil)
    }
}

@Suite struct UTF8Tests {
    @Test(arguments: [
        [UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\"")],
        [UInt8(ascii: "\""), UInt8(ascii: "a"), UInt8(ascii: "b"), 0xC3, UInt8(ascii: "\"")],  // a cut sequence
        [UInt8(ascii: "\""), 0xED, 0xA0, 0x80, UInt8(ascii: "\"")],  // an encoded surrogate
        [UInt8(ascii: "\""), 0xC0, 0xAF, UInt8(ascii: "\"")],  // an overlong encoding
    ])
    func invalidUTF8IsRefusedWithAClearError(bytes: [UInt8]) {
        do {
            let value = try JSONParser().parse(bytes)
            Issue.record("parsed invalid UTF-8 as \(value)")
        } catch {
            #expect(error.code == .invalidUTF8)
            #expect(error.message.hasPrefix("invalid UTF-8"))
            #expect(error.byteOffset >= 1 && error.byteOffset < bytes.count)
            #expect(bytes[error.byteOffset] >= 0x80, "the offset names a non-ASCII byte")
        }
    }

    @Test func offsetNamesTheBadByte() {
        do {
            _ = try JSONParser().parse([UInt8(ascii: "\""), UInt8(ascii: "a"), 0xFF, UInt8(ascii: "\"")])
            Issue.record("parsed invalid UTF-8")
        } catch {
            #expect(error.byteOffset == 2)
            #expect(error.column == 3)
        }
    }

    @Test func arabicAndEmojiRoundTrip() throws {
        for text in ["ربما يكون ذلك صحيحاً", "😀👍🏽 family: 👨‍👩‍👧", "mixed عربي 😀 text", "\u{0}nul inside", "tab\tnew\nline \"q\" \\"] {
            let serialized = JSONValue.string(text).serialized()
            #expect(try JSONParser().parse(serialized) == .string(text))
            // jansson refuses NUL in keys when reading (see nulIsAllowedInAValueButRefusedInAKey).
            if !text.contains("\u{0}") {
                let asKey: JSONValue = [text: .string(text)]
                #expect(try JSONParser().parse(asKey.serialized()) == asKey)
            }
        }
        // Non-ASCII is written as UTF-8, not escaped; control characters are escaped.
        #expect(JSONValue.string("ربما😀").serializedString() == "\"ربما😀\"")
        #expect(JSONValue.string("a\nb").serializedString() == #""a\nb""#)
    }

    @Test func escapedAstralCharactersDecode() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
    }
}

@Suite struct StructureTests {
    @Test func depthLimitIsEnforcedAndPositioned() throws {
        let parser = JSONParser(maxDepth: 3)
        #expect(try parser.parse("[[[1]]]") == [[[1]]])
        do {
            _ = try parser.parse(#"[[{"a":[1]}]]"#)
            Issue.record("accepted 4 levels with a limit of 3")
        } catch {
            #expect(error.code == .nestingTooDeep)
            #expect(error.byteOffset == 7)
            #expect(error.column == 8)
        }
        // Brackets inside strings are not nesting.
        #expect(try parser.parse(#"[["[[[[{{{{\"]]"]]"#) == [["[[[[{{{{\"]]"]])
    }

    @Test func defaultDepthLimitIs512() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        do {
            _ = try JSONValue.parse(deep)
            Issue.record("accepted 513 levels")
        } catch {
            #expect(error.code == .nestingTooDeep)
            #expect(error.byteOffset == 512)
        }
    }

    @Test func compactSerializationHasNoSpaces() throws {
        let value = try JSONValue.parse(#"{ "a" : [ 1 , 2 , { "b" : null } ] , "c" : true }"#)
        #expect(value.serializedString() == #"{"a":[1,2,{"b":null}],"c":true}"#)
        #expect(JSONSerializer(indent: 2).serializeToString(["a": 1]) == "{\n  \"a\": 1\n}")
    }

    @Test func objectKeyOrderIsPreserved() throws {
        let text = #"{"z":1,"a":2,"m":3,"b":{"y":1,"x":2}}"#
        let value = try JSONValue.parse(text)
        #expect(value.objectValue?.keys == ["z", "a", "m", "b"])
        #expect(value.serializedString() == text)
        #expect(JSONSerializer(sortKeys: true).serializeToString(value) == #"{"a":2,"b":{"x":2,"y":1},"m":3,"z":1}"#)
    }

    @Test func duplicateKeysKeepTheLastValueAtTheFirstPosition() throws {
        let value = try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test func duplicateKeysCanBeRefused() {
        do {
            _ = try JSONParser(rejectDuplicateKeys: true).parse(#"{"a":1,"a":2}"#)
            Issue.record("accepted a duplicate key")
        } catch {
            #expect(error.code == .duplicateKey)
            #expect(error.byteOffset == 9)  // jansson notices at the closing quote of the repeated key
        }
    }

    @Test func scalarsAreAcceptedAtTheTop() throws {
        #expect(try JSONValue.parse("null") == .null)
        #expect(try JSONValue.parse("\"s\"") == "s")
        #expect(try JSONValue.parse("false") == false)
    }

    @Test func nulIsAllowedInAValueButRefusedInAKey() throws {
        #expect(try JSONValue.parse(#""a\u0000b""#) == .string("a\u{0}b"))
        do {
            _ = try JSONValue.parse(#"{"a\u0000b":1}"#)
            Issue.record("accepted NUL in a key")
        } catch {
            #expect(error.code == .nulInKey)
        }
    }

    @Test func objectEqualityIgnoresOrder() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":2}"#) == JSONValue.parse(#"{"b":2,"a":1}"#))
    }

    @Test func sliceInputsAreParsedAlone() throws {
        let bytes = Array("xx[1,2]yy".utf8)
        #expect(try JSONParser().parse(bytes[2..<7]) == [1, 2])
    }
}
