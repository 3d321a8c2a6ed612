import Yams

/// A value of a Kamal configuration file after ERB evaluation and YAML parsing: what Kamal sees once it
/// has loaded `config/deploy.yml`.
public enum KamalConfigurationValue: Hashable, Sendable {
    /// `~`, `null` or nothing.
    case null
    /// A scalar, kept as written (`3000`, `true` and `amd64` are all scalars).
    case scalar(String)
    /// A YAML sequence.
    case sequence([KamalConfigurationValue])
    /// A YAML mapping with string keys.
    case mapping([String: KamalConfigurationValue])

    /// The value under `key` when this is a mapping.
    public subscript(key: String) -> KamalConfigurationValue? {
        guard case .mapping(let entries) = self else { return nil }
        return entries[key]
    }

    /// The value at a dotted path such as `registry.server`; `nil` when absent or null.
    public func value(at path: String) -> KamalConfigurationValue? {
        var current: KamalConfigurationValue? = self
        for key in path.split(separator: ".") {
            current = current?[String(key)]
        }
        if current == .null { return nil }
        return current
    }

    /// The scalar text, or `nil` for anything else.
    public var scalarText: String? {
        guard case .scalar(let text) = self else { return nil }
        return text
    }

    /// This value with `other` merged over it the way Kamal merges a destination file over
    /// `config/deploy.yml` (ActiveSupport's `deep_merge`): mappings merge key by key, recursively; any
    /// other value in `other`, sequences included, replaces the one here.
    public func deepMerged(with other: KamalConfigurationValue) -> KamalConfigurationValue {
        guard case .mapping(var base) = self, case .mapping(let overlay) = other else { return other }
        for (key, value) in overlay {
            if let existing = base[key] {
                base[key] = existing.deepMerged(with: value)
            } else {
                base[key] = value
            }
        }
        return .mapping(base)
    }

    /// Every scalar with the dotted path that leads to it (`servers.web[0]`), for locating values.
    func scalars(under prefix: String = "") -> [(path: String, text: String)] {
        switch self {
        case .null:
            return []
        case .scalar(let text):
            return [(prefix, text)]
        case .sequence(let items):
            return items.enumerated().flatMap { index, item in item.scalars(under: "\(prefix)[\(index)]") }
        case .mapping(let entries):
            return entries.keys.sorted().flatMap { key in
                entries[key, default: .null].scalars(under: prefix.isEmpty ? key : "\(prefix).\(key)")
            }
        }
    }

    /// Converts a composed YAML node, applying `<<` merge keys; aliases are already resolved by the parser.
    init(node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                self = .null
            } else {
                self = .scalar(scalar.string)
            }
        case .alias:
            self = .null
        case .sequence(let sequence):
            self = .sequence(sequence.map { KamalConfigurationValue(node: $0) })
        case .mapping(let mapping):
            var entries: [String: KamalConfigurationValue] = [:]
            var merged: [String: KamalConfigurationValue] = [:]
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? ""
                if key == "<<" {
                    let sources: [Node]
                    if case .sequence(let list) = valueNode { sources = Array(list) } else { sources = [valueNode] }
                    for source in sources {
                        if case .mapping(let values) = KamalConfigurationValue(node: source) {
                            for (mergedKey, mergedValue) in values where merged[mergedKey] == nil {
                                merged[mergedKey] = mergedValue
                            }
                        }
                    }
                } else {
                    entries[key] = KamalConfigurationValue(node: valueNode)
                }
            }
            for (key, value) in merged where entries[key] == nil { entries[key] = value }
            self = .mapping(entries)
        }
    }
}
