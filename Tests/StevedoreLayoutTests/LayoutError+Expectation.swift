import Foundation
import StevedoreCore
import StevedoreLayout
import Testing

/// Runs `body` and checks that it throws a ``LayoutError`` with `code` whose message contains every fragment.
func expectLayoutError<T>(
    _ code: LayoutError.Code,
    containing fragments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    do {
        let value = try body()
        Issue.record("expected LayoutError.\(code), got \(value)", sourceLocation: sourceLocation)
    } catch let error as LayoutError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected LayoutError.\(code), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
}
