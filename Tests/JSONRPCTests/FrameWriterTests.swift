import JSON
import JSONRPC
import Testing

@Suite struct FrameWriterTests {
    let message = Message.response(id: .number(1), result: .success(["text": "ربما 😀", "n": 1.5]))

    @Test func contentLengthCountsBytes() {
        let frame = String(decoding: FrameWriter(mode: .contentLength).frame(message), as: UTF8.self)
        let body = #"{"jsonrpc":"2.0","id":1,"result":{"text":"ربما 😀","n":1.5}}"#
        #expect(frame == "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
        #expect(body.utf8.count != body.count, "the test needs a body whose bytes and characters differ")
    }

    @Test func newlineModeWritesOneLine() {
        let note = Message.notification(method: "log", params: ["text": "two\nlines"])
        let frame = String(decoding: FrameWriter(mode: .newlineDelimited).frame(note), as: UTF8.self)
        #expect(frame == #"{"jsonrpc":"2.0","method":"log","params":{"text":"two\nlines"}}"# + "\n")
    }

    @Test func writerIsCompactEvenWithAnIndentingSerializer() {
        let writer = FrameWriter(mode: .newlineDelimited, serializer: JSONSerializer(indent: 4))
        let frame = writer.frame(.request(id: .string("a"), method: "m", params: [1, 2]))
        #expect(String(decoding: frame, as: UTF8.self) == #"{"jsonrpc":"2.0","id":"a","method":"m","params":[1,2]}"# + "\n")
    }

    @Test func batchIsOneArray() {
        let replies: [Message] = [message, .response(id: nil, result: .failure(.parseError("bad")))]
        let frame = String(decoding: FrameWriter(mode: .newlineDelimited).frame(batch: replies), as: UTF8.self)
        #expect(frame.hasPrefix("[{"))
        #expect(frame.contains(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#))
        #expect(FrameWriter(mode: .contentLength).frame(batch: []).isEmpty)
    }

    @Test(arguments: [FramingMode.contentLength, .newlineDelimited])
    func framerReadsBackWhatTheWriterWrites(mode: FramingMode) throws {
        let messages: [Message] = [
            message,
            .notification(method: "note", params: ["text": "a\r\nb"]),
            .request(id: .string("x"), method: "m", params: nil),
        ]
        let writer = FrameWriter(mode: mode)
        var stream: [UInt8] = []
        for message in messages { stream += writer.frame(message) }
        stream += writer.frame(batch: messages)
        var framer = MessageFramer()
        let frames = framer.frames(appending: stream)
        #expect(framer.mode == mode)
        #expect(frames.count == 4)
        for (index, frame) in frames.enumerated() {
            guard case .body(let body) = frame else {
                Issue.record("frame \(index) is \(frame)")
                continue
            }
            let payload = try Payload.decode(body).get()
            if index < 3 {
                #expect(payload == .single(.success(messages[index])))
            } else {
                #expect(payload == .batch(messages.map { .success($0) }))
            }
        }
    }
}
