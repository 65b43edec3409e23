//! A counting allocator for soak investigations (cargo feature `alloc-probe`, never in a shipped build):
//! live allocations by size, and for one chosen size the JavaScript stack of each allocation still live.
//! `wasmBindings.__disk_console_alloc_stats()` answers `{size: live count}`;
//! `__disk_console_alloc_watch(size)` starts recording stacks of that size, read back with
//! `window.__allocStacks` (a Map from address to stack).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use wasm_bindgen::prelude::*;

const BUCKETS: usize = 1025;
static LIVE: [AtomicU32; BUCKETS] = [const { AtomicU32::new(0) }; BUCKETS];
static WATCH: AtomicUsize = AtomicUsize::new(0);

#[wasm_bindgen(
    inline_js = "export function rec(p) { (window.__allocStacks ||= new Map()).set(p, new Error().stack); }
export function del(p) { if (window.__allocStacks) window.__allocStacks.delete(p); }"
)]
extern "C" {
    fn rec(p: u32);
    fn del(p: u32);
}

fn bucket(size: usize) -> usize {
    (size.div_ceil(8)).min(BUCKETS - 1)
}

pub struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        LIVE[bucket(layout.size())].fetch_add(1, Ordering::Relaxed);
        if WATCH.load(Ordering::Relaxed) == layout.size() {
            rec(p as u32);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        LIVE[bucket(layout.size())].fetch_sub(1, Ordering::Relaxed);
        if WATCH.load(Ordering::Relaxed) == layout.size() {
            del(p as u32);
        }
        unsafe { System.dealloc(p, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[wasm_bindgen]
pub fn __disk_console_alloc_stats() -> String {
    let mut out = String::from("{");
    for (i, n) in LIVE.iter().enumerate() {
        let n = n.load(Ordering::Relaxed);
        if n > 0 {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&format!("\"{}\":{}", i * 8, n)); // i18n: not shown
        }
    }
    out.push('}');
    out
}

#[wasm_bindgen]
pub fn __disk_console_alloc_watch(size: usize) {
    WATCH.store(size, Ordering::Relaxed);
}
