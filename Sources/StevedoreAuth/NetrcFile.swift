/// The entries of a `.netrc` file: `machine HOST login USER password SECRET`, and `default`.
struct NetrcFile {
    struct Entry {
        var machine: String?
        var login: String?
        var password: String?
    }

    var entries: [Entry] = []

    init(text: String) {
        var tokens: [Substring] = []
        for line in text.split(whereSeparator: \.isNewline) where !line.trimmingPrefix(while: \.isWhitespace).hasPrefix("#") {
            tokens.append(contentsOf: line.split(whereSeparator: \.isWhitespace))
        }
        var current: Entry?
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let value = index + 1 < tokens.count ? String(tokens[index + 1]) : nil
            switch token {
            case "machine":
                if let current { entries.append(current) }
                current = Entry(machine: value)
                index += 2
            case "default":
                if let current { entries.append(current) }
                current = Entry(machine: nil)
                index += 1
            case "login":
                current?.login = value
                index += 2
            case "password":
                current?.password = value
                index += 2
            case "account", "macdef":
                index += 2
            default:
                index += 1
            }
        }
        if let current { entries.append(current) }
    }

    /// The credential of the entry for `host` (compared case-insensitively), else, when `usingDefault`, of
    /// the `default` entry.
    func credential(forHost host: String, origin: String, usingDefault: Bool = false) -> Credential? {
        let entry = entries.first { $0.machine?.lowercased() == host.lowercased() } ?? (usingDefault ? entries.first { $0.machine == nil } : nil)
        guard let entry, let login = entry.login, let password = entry.password, !password.isEmpty else { return nil }
        return Credential(username: login, secret: password, origin: origin)
    }
}
