/// Decodes the integer fields of one ELF structure held in a byte array, in the file's byte order and class.
struct ELFFieldDecoder {
    let bytes: [UInt8]
    let encoding: ELFFile.DataEncoding
    let elfClass: ELFFile.Class

    /// An unsigned integer of `width` bytes at `offset` (callers check that the array is long enough).
    private func unsigned(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<width {
            let byte = UInt64(bytes[offset + index])
            switch encoding {
            case .littleEndian: value |= byte << (8 * UInt64(index))
            case .bigEndian: value = (value << 8) | byte
            }
        }
        return value
    }

    func u16(_ offset: Int) -> UInt16 { UInt16(truncatingIfNeeded: unsigned(at: offset, width: 2)) }
    func u32(_ offset: Int) -> UInt32 { UInt32(truncatingIfNeeded: unsigned(at: offset, width: 4)) }
    func u64(_ offset: Int) -> UInt64 { unsigned(at: offset, width: 8) }
    /// An address, offset or size: 4 bytes in ELF32, 8 in ELF64.
    func word(_ offset: Int) -> UInt64 { elfClass == .elf32 ? UInt64(u32(offset)) : u64(offset) }
    /// A signed dynamic tag: 4 bytes in ELF32, 8 in ELF64, sign-extended.
    func signedWord(_ offset: Int) -> Int64 {
        elfClass == .elf32 ? Int64(Int32(bitPattern: u32(offset))) : Int64(bitPattern: u64(offset))
    }
}
