/// The first offset at or after `start` whose byte's entry in `table` (256 entries) is not 0, else
/// `bytes.count`. Scanners that care about a handful of bytes (the quotation marks' lead bytes,
/// the bytes that can end a sentence) cross the rest eight at a time by OR-ing their entries:
/// about three instructions a byte, where a has-zero-byte test of eight-byte words for five
/// patterns cost four.
@inlinable @inline(__always)
public func firstFlaggedByte(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, table: UnsafePointer<UInt8>) -> Int {
    let count = bytes.count
    guard let p = bytes.baseAddress, start < count else { return count }
    let t = table
    var i = start
    // The last eight-byte step starts at `count - 8`: compared with it, a step needs no overflow
    // check of `i + 8`; and once a step has a flagged byte, the walk to it needs no end check.
    let lastStep = count - 8
    while i <= lastStep {
        let hit = t[Int(p[i])] | t[Int(p[i &+ 1])] | t[Int(p[i &+ 2])] | t[Int(p[i &+ 3])]
            | t[Int(p[i &+ 4])] | t[Int(p[i &+ 5])] | t[Int(p[i &+ 6])] | t[Int(p[i &+ 7])]
        if hit != 0 {
            while t[Int(p[i])] == 0 { i &+= 1 }
            return i
        }
        i &+= 8
    }
    while i < count && t[Int(p[i])] == 0 { i += 1 }
    return i
}
