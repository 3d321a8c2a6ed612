import Foundation
import StevedoreCore
import StevedoreLayout
import Testing

/// Runs `body` and checks that it throws a ``StevedoreError`` with `code` whose message contains every fragment.
func expectLayoutError<T>(
    _ code: StevedoreError.Code,
    containing fragments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    do {
        let value = try body()
        Issue.record("expected StevedoreError.\(code), got \(value)", sourceLocation: sourceLocation)
    } catch let error as StevedoreError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected StevedoreError.\(code), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
}
