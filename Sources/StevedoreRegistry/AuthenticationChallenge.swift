/// One challenge of a `WWW-Authenticate` header: a scheme (`Basic`, `Bearer`) and its parameters.
///
/// Parsing follows RFC 9110 §11.6.1: parameters are `name=token` or `name="quoted string"` (with `\`
/// escapes), separated by commas; a quoted value may itself contain commas, as `scope` values do.
public struct AuthenticationChallenge: Hashable, Sendable {
    /// The scheme, lowercased: `basic` or `bearer`.
    public var scheme: String
    /// The parameters, names lowercased.
    public var parameters: [String: String]

    /// Creates a challenge.
    public init(scheme: String, parameters: [String: String]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    /// The token endpoint of a Bearer challenge.
    public var realm: String? { parameters["realm"] }
    /// The service to name when asking the realm for a token.
    public var service: String? { parameters["service"] }
    /// The scopes the challenge asks for, split at spaces (one header can carry several).
    public var scopes: [RegistryScope] { parameters["scope"].map { $0.split(separator: " ").compactMap { RegistryScope(parsing: String($0)) } } ?? [] }
    /// The `error` parameter, e.g. `insufficient_scope` or `invalid_token`.
    public var error: String? { parameters["error"] }

    /// Parses every challenge of one `WWW-Authenticate` header value.
    public static func parse(_ header: String) -> [AuthenticationChallenge] {
        var parser = Parser(Array(header.utf8))
        return parser.challenges()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func challenges() -> [AuthenticationChallenge] {
            var result: [AuthenticationChallenge] = []
            var current: AuthenticationChallenge?
            while true {
                skip { $0 == 0x20 || $0 == 0x09 || $0 == 0x2c }
                guard index < bytes.count else { break }
                let start = index
                let name = token()
                guard !name.isEmpty else { index = max(index, start + 1); continue }
                skip { $0 == 0x20 || $0 == 0x09 }
                if index < bytes.count, bytes[index] == 0x3d, !isToken68End() {
                    // name=value: a parameter of the current challenge.
                    index += 1
                    skip { $0 == 0x20 || $0 == 0x09 }
                    let value = index < bytes.count && bytes[index] == 0x22 ? quoted() : token()
                    current?.parameters[name.lowercased()] = value
                } else {
                    // A new scheme.
                    if let current { result.append(current) }
                    current = AuthenticationChallenge(scheme: name, parameters: [:])
                }
            }
            if let current { result.append(current) }
            return result
        }

        /// Whether the `=` at `index` ends a token68 (`abc==`) rather than starting a value.
        func isToken68End() -> Bool {
            var next = index
            while next < bytes.count, bytes[next] == 0x3d { next += 1 }
            return next > index + 1 && (next == bytes.count || bytes[next] == 0x2c)
        }

        mutating func skip(_ predicate: (UInt8) -> Bool) {
            while index < bytes.count, predicate(bytes[index]) { index += 1 }
        }

        mutating func token() -> String {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x09 || byte == 0x2c || byte == 0x3d || byte == 0x22 { break }
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func quoted() -> String {
            index += 1
            var value: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == 0x5c, index < bytes.count {
                    value.append(bytes[index])
                    index += 1
                } else if byte == 0x22 {
                    break
                } else {
                    value.append(byte)
                }
            }
            return String(decoding: value, as: UTF8.self)
        }
    }
}
