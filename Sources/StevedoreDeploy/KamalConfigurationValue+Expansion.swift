import Yams

extension KamalConfigurationValue {
    /// The most values a configuration may expand to once its YAML aliases are resolved.
    static let expandedNodeLimit = 100_000
    /// The deepest a configuration's values may nest.
    static let depthLimit = 64

    /// Why `node` is too large to convert, or `nil` when it is not: a "billion laughs" document, a few aliases of
    /// aliases of lists, is small as text and as a composed node (aliases are shared) but expands to billions of
    /// values when each alias is copied out. Kamal's loader (Ruby's Psych) copies them; a real configuration has
    /// a few hundred values, so the walk stops at ``expandedNodeLimit``, long before any memory is at stake.
    static func expansionExcess(of node: Node) -> String? {
        var budget = expandedNodeLimit
        var tooDeep = false
        func walk(_ node: Node, depth: Int) -> Bool {
            budget -= 1
            guard budget >= 0 else { return false }
            guard depth <= depthLimit else {
                tooDeep = true
                return false
            }
            switch node {
            case .scalar, .alias:
                return true
            case .sequence(let sequence):
                for item in sequence where !walk(item, depth: depth + 1) { return false }
                return true
            case .mapping(let mapping):
                for (key, value) in mapping where !walk(key, depth: depth + 1) || !walk(value, depth: depth + 1) {
                    return false
                }
                return true
            }
        }
        if walk(node, depth: 0) { return nil }
        if tooDeep { return "nests values more than \(depthLimit) levels deep" }
        return "expands to more than \(expandedNodeLimit) values once its YAML aliases are resolved (an alias bomb)"
    }
}
