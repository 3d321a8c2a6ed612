import Foundation

/// The `errors` array of a registry's error answer.
struct RegistryErrorBody {
    var codes: [String] = []
    var messages: [String] = []

    init(_ data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let errors = object["errors"] as? [[String: Any]] else { return }
        for error in errors {
            codes.append((error["code"] as? String) ?? "")
            messages.append((error["message"] as? String) ?? "")
        }
    }

    /// `: CODE: message` for the first error, or nothing.
    var summarySuffix: String {
        guard let code = codes.first else { return "" }
        let message = messages.first ?? ""
        return message.isEmpty ? ": \(code)" : ": \(code): \(message)"
    }
}
