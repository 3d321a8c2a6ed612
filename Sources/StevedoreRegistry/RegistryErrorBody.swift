import Foundation

/// The `errors` array of a registry's error answer.
struct RegistryErrorBody {
    var codes: [String] = []
    var messages: [String] = []

    init(_ data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let errors = object["errors"] as? [[String: Any]] else { return }
        for error in errors {
            codes.append(Self.printable((error["code"] as? String) ?? ""))
            messages.append(Self.printable((error["message"] as? String) ?? ""))
        }
    }

    /// `: CODE: message` for the first error, or nothing.
    var summarySuffix: String {
        guard let code = codes.first else { return "" }
        let message = messages.first ?? ""
        return message.isEmpty ? ": \(code)" : ": \(code): \(message)"
    }

    /// Text a registry sent, made safe to print on a terminal: control characters (escape sequences, carriage
    /// returns, C1 controls, bidirectional overrides) become `?`, line breaks and tabs become spaces, and at most
    /// `limit` characters are kept.
    static func printable(_ text: String, limit: Int = 500) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < limit else {
                out.append(contentsOf: "…".unicodeScalars)
                break
            }
            count += 1
            switch scalar.value {
            case 0x09, 0x0a, 0x0d:
                out.append(" ")
            case 0x00..<0x20, 0x7f..<0xa0, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069:
                out.append("?")
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
