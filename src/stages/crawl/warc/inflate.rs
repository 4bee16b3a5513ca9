//! One gzip member decompressed in one call with libdeflate (bundled C, through `libdeflate-sys`): the fast path
//! of the WARC reader for a member whose compressed bytes and decompressed bytes both fit in memory. libdeflate
//! checks the member's CRC-32 and length, and reports how many input bytes the member took, so the next member
//! starts right after it. It does not check a header CRC (`FHCRC`); [`has_header_crc`] tells the caller to
//! decompress such a member some other way.
//!
//! The decompressor (about 10 KB of tables) is allocated once and reused for every member; it is freed on drop.

use std::io;
use std::ptr::NonNull;

use libdeflate_sys::{
    libdeflate_alloc_decompressor, libdeflate_decompressor, libdeflate_free_decompressor,
    libdeflate_gzip_decompress_ex, libdeflate_result_LIBDEFLATE_BAD_DATA,
    libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE, libdeflate_result_LIBDEFLATE_SUCCESS,
};

/// The gzip header flag saying a CRC-16 of the header follows it.
const FHCRC: u8 = 0x02;

/// What decompressing one member gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inflated {
    /// The whole member: `read` compressed bytes (header to trailer) gave `written` bytes, its CRC-32 and length
    /// checked.
    Member { read: usize, written: usize },
    /// The decompressed member is longer than the output buffer.
    OutputFull,
    /// Not a whole good member: damaged, or cut short by the end of the input.
    Bad,
}

/// A libdeflate decompressor.
pub(super) struct GzipInflater {
    d: NonNull<libdeflate_decompressor>,
}

// SAFETY: a libdeflate decompressor holds no reference to a thread and no shared state; only its owner (through
// `&mut self`) uses it, so moving it to another thread is sound.
unsafe impl Send for GzipInflater {}

impl GzipInflater {
    pub(super) fn new() -> io::Result<GzipInflater> {
        // SAFETY: no arguments; a null result (out of memory) is checked below.
        let d = unsafe { libdeflate_alloc_decompressor() };
        NonNull::new(d).map(|d| GzipInflater { d }).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::OutOfMemory,
                "cannot allocate a libdeflate decompressor",
            )
        })
    }

    /// Decompresses the gzip member at the start of `input` (which may go on past it) into `out`.
    pub(super) fn member(&mut self, input: &[u8], out: &mut [u8]) -> Inflated {
        let mut read = 0usize;
        let mut written = 0usize;
        // SAFETY: `self.d` is a live decompressor used by nobody else (`&mut self`); `input` is valid for reads of
        // `input.len()` bytes and `out` for writes of `out.len()` bytes for the whole call, and they do not
        // overlap (a shared and a mutable borrow); libdeflate reads and writes only within those lengths and
        // keeps no pointer after returning; both `_ret` pointers are to live locals.
        let r = unsafe {
            libdeflate_gzip_decompress_ex(
                self.d.as_ptr(),
                input.as_ptr().cast(),
                input.len(),
                out.as_mut_ptr().cast(),
                out.len(),
                &mut read,
                &mut written,
            )
        };
        #[allow(non_upper_case_globals)]
        match r {
            libdeflate_result_LIBDEFLATE_SUCCESS => {
                debug_assert!(read <= input.len() && written <= out.len());
                Inflated::Member { read, written }
            }
            libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE => Inflated::OutputFull,
            libdeflate_result_LIBDEFLATE_BAD_DATA => Inflated::Bad,
            // SHORT_OUTPUT comes only without `actual_out_nbytes_ret`; anything else is treated as damage
            _ => Inflated::Bad,
        }
    }
}

impl Drop for GzipInflater {
    fn drop(&mut self) {
        // SAFETY: `self.d` came from `libdeflate_alloc_decompressor`, is not null, and is freed only here, once.
        unsafe { libdeflate_free_decompressor(self.d.as_ptr()) }
    }
}

/// Whether the gzip member at the start of `input` has a header CRC (which libdeflate skips unchecked); false
/// when `input` is too short to say (libdeflate then reports the member as not whole).
pub(super) fn has_header_crc(input: &[u8]) -> bool {
    input.get(3).is_some_and(|flags| flags & FHCRC != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn members_one_after_another_full_output_damage_and_a_cut() {
        let a = b"WARC/1.0\r\nfirst member ".repeat(50);
        let b = b"second member, a little different".repeat(30);
        let mut file = gz(&a);
        let a_len = file.len();
        file.extend_from_slice(&gz(&b));
        let mut inf = GzipInflater::new().unwrap();
        let mut out = vec![0u8; 4096];
        let Inflated::Member { read, written } = inf.member(&file, &mut out) else {
            panic!("the first member decompresses");
        };
        assert_eq!((read, &out[..written]), (a_len, &a[..]));
        let Inflated::Member { read, written } = inf.member(&file[a_len..], &mut out) else {
            panic!("the second member decompresses with the same decompressor");
        };
        assert_eq!((read, &out[..written]), (file.len() - a_len, &b[..]));
        assert_eq!(inf.member(&file, &mut out[..100]), Inflated::OutputFull);
        assert_eq!(inf.member(&file[..a_len - 1], &mut out), Inflated::Bad);
        assert_eq!(inf.member(&file[..a_len / 2], &mut out), Inflated::Bad);
        // a wrong CRC-32, then a wrong length
        for at in [a_len - 8, a_len - 4] {
            let mut bad = file.clone();
            bad[at] ^= 0x01;
            assert_eq!(inf.member(&bad, &mut out), Inflated::Bad);
        }
        assert!(!has_header_crc(&file));
        assert!(!has_header_crc(&file[..2]));
        let mut with_hcrc = file.clone();
        with_hcrc[3] |= FHCRC;
        assert!(has_header_crc(&with_hcrc));
    }
}
