import Foundation
import NIOHTTP1

/// A fully read response.
struct RegistryResponse: Sendable {
    var status: UInt
    var headers: HTTPHeaders
    var body: Data
}
