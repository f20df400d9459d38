import GoJSONText

/// Writes a ``GoJSONNode`` tree as compact JSON with Go's escaping rules.
struct GoJSONWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ node: GoJSONNode) {
        switch node.content {
        case .unset:
            bytes.append(contentsOf: "null".utf8)
        case .raw(let text):
            bytes.append(contentsOf: text.utf8)
        case .string(let text):
            GoJSONString.appendQuoted(text, to: &bytes)
        case .array(let box):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in box.items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let box):
            bytes.append(UInt8(ascii: "{"))
            var order = Array(box.keys.indices)
            if box.sortKeys {
                // Go sorts map keys by comparing their bytes.
                order.sort { box.keys[$0].utf8.lexicographicallyPrecedes(box.keys[$1].utf8) }
            }
            for (position, index) in order.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                GoJSONString.appendQuoted(box.keys[index], to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(box.values[index])
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
