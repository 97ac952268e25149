//! Reading a rendered chart back: is it the right size, inked but not blank, with
//! text in its title band and coloured data below it? Shared by the chart tests.

/// What a rendered image looks like, roughly.
pub struct Look {
    pub width: u32,
    pub height: u32,
    /// Share of pixels that are not the white page.
    pub inked: f64,
    /// Dark, text-coloured pixels in the title band (top 9%, left half).
    pub title_text: usize,
    /// Pixels in the plot region (below the title) that are not white or grey: data.
    pub coloured: usize,
}

pub fn look(rgb: &[u8], width: u32, height: u32) -> Look {
    assert_eq!(rgb.len(), (width * height * 3) as usize);
    let px = |x: u32, y: u32| {
        let i = ((y * width + x) * 3) as usize;
        (rgb[i], rgb[i + 1], rgb[i + 2])
    };
    let (mut inked, mut title_text, mut coloured) = (0usize, 0usize, 0usize);
    let band = height * 9 / 100;
    for y in 0..height {
        for x in 0..width {
            let (r, g, b) = px(x, y);
            if (r, g, b) != (255, 255, 255) {
                inked += 1;
            }
            if y < band && x < width / 2 && r < 110 && g < 110 && b < 110 {
                title_text += 1;
            }
            let spread = r.max(g).max(b) - r.min(g).min(b);
            if y >= band && spread > 60 {
                coloured += 1;
            }
        }
    }
    Look {
        width,
        height,
        inked: inked as f64 / f64::from(width * height),
        title_text,
        coloured,
    }
}

pub fn assert_readable(l: &Look, what: &str) {
    assert!(
        l.inked > 0.01 && l.inked < 0.6,
        "{what}: {:.1}% of pixels inked",
        l.inked * 100.0
    );
    assert!(
        l.title_text > 500,
        "{what}: only {} text pixels in the title band",
        l.title_text
    );
    assert!(l.coloured > 200, "{what}: only {} data pixels", l.coloured);
}

/// Decodes an RGB PNG and looks at it.
pub fn decode(bytes: &[u8]) -> Look {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{e}"));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    look(&buf[..info.buffer_size()], info.width, info.height)
}
