# fig2-1.gp: figure "001 Figure 2: I_EST favours ill-conditioned encoders", drawn by MIPlot; its data is fig2-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot fig2-1.gp                       writes fig2-1.svg
#   gnuplot -e 'format="png"' fig2-1.gp     writes fig2-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' fig2-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' fig2-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'fig2-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 1400,1050 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 1400,1050 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 14in,10.5in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'fig2-1.dat'
set multiplot layout 2,2 rowsfirst title '001 Figure 2: I_EST favours ill-conditioned encoders' font ',13'

# Panel 1 (row 1, column 1): test I_EST (NWJ starts far below the panel)
reset
set title 'test I_EST (NWJ starts far below the panel)'
set xlabel 'training step'
set ylabel 'test I_EST (nats)'
set yrange [-6:6]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nce, seed = 1', \
    data index 1 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce, seed = 2', \
    data index 2 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'nce, seed = 3', \
    data index 3 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'nwj, seed = 1', \
    data index 4 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'nwj, seed = 2', \
    data index 5 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'nwj, seed = 3'

# Panel 2 (row 1, column 2): linear probe, test accuracy
reset
set title 'linear probe, test accuracy'
set xlabel 'training step'
set ylabel 'probe test accuracy'
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 6 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'nce, seed = 1', \
    data index 7 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'nce, seed = 2', \
    data index 8 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'nce, seed = 3', \
    data index 9 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'nwj, seed = 1', \
    data index 10 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'nwj, seed = 2', \
    data index 11 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'nwj, seed = 3', \
    0.7632 with lines lc rgb '#000000' lw 1.5 dt 2 title 'raw pixels = 0.7632', \
    0.7609 with lines lc rgb '#000000' lw 1.5 dt 2 title 'raw pixels = 0.7609', \
    0.7656 with lines lc rgb '#000000' lw 1.5 dt 2 title 'raw pixels = 0.7656'

# Panel 3 (row 2, column 1): InfoNCE (seed 1): condition number of g1's Jacobian
reset
set title 'InfoNCE (seed 1): condition number of g1''s Jacobian'
set xlabel 'training step'
set ylabel 'condition number of g1''s Jacobian'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 12 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'p0', \
    data index 13 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'p20', \
    data index 14 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'p40', \
    data index 15 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'p60', \
    data index 16 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'p80', \
    data index 17 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'p100'

# Panel 4 (row 2, column 2): NWJ (seed 1): condition number (001 Appendix F, Figure 5)
reset
set title 'NWJ (seed 1): condition number (001 Appendix F, Figure 5)'
set xlabel 'training step'
set ylabel 'condition number of g1''s Jacobian'
set logscale y 10
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 18 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'p0', \
    data index 19 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'p20', \
    data index 20 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'p40', \
    data index 21 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#CC79A7' title 'p60', \
    data index 22 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#E69F00' title 'p80', \
    data index 23 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#56B4E9' title 'p100'

unset multiplot
unset output
